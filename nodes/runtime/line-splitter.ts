import { StringDecoder } from 'node:string_decoder';

/**
 * Cuts a byte stream into lines: bytes in, whole lines out (without their
 * '\n'). A line split across chunks, or a UTF-8 character split across them,
 * waits for the rest; `flush()` hands back an unterminated last line.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  /** The unterminated last line, if any; the splitter is empty afterwards. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [rest];
  }
}
