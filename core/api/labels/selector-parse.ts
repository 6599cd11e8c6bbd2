// The string form of label selectors, as `drover get -l` takes them:
//
//   selector    := '' | requirement (',' requirement)*
//   requirement := key                          exists
//                | '!' key                      does not exist
//                | key ('=' | '==') value       equals        -> matchLabels
//                | key '!=' value               not equals    -> NotIn [value]
//                | key 'in' '(' values ')'      one of        -> In
//                | key 'notin' '(' values ')'   none of       -> NotIn
//   values      := value (',' value)*
//
// Whitespace may surround tokens. Keys are qualified names; values are label
// values (possibly empty after '=' and '!='). Errors carry the 0-based offset
// of the token at fault.

import { SelectorParseError } from '../errors.js';
import { checkLabelValue, checkQualifiedName } from '../names.js';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import type { LabelSelector, LabelSelectorRequirement } from '../types/selector.js';

type TokenType = 'word' | '=' | '==' | '!=' | '!' | '(' | ')' | ',' | 'end';

interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** 0-based offset into the selector. */
  readonly offset: number;
}

/** Characters that end a word: whitespace and the operators. */
const WORD = /[^\s,=!()]+/y;
const SPACE = /\s*/y;

function tokenize(input: string): Result<Token[], SelectorParseError> {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    SPACE.lastIndex = i;
    SPACE.exec(input);
    i = SPACE.lastIndex;
    if (i >= input.length) break;
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ type: two, text: two, offset: i });
      i += 2;
      continue;
    }
    const c = input[i] ?? '';
    if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, text: c, offset: i });
      i += 1;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(input);
    // Invariant: every character is whitespace, an operator or a word character.
    if (m === null) return err(new SelectorParseError(input, i, `unexpected character ${JSON.stringify(c)}`));
    tokens.push({ type: 'word', text: m[0], offset: i });
    i = WORD.lastIndex;
  }
  tokens.push({ type: 'end', text: '', offset: input.length });
  return ok(tokens);
}

function describe(token: Token): string {
  return token.type === 'end' ? 'the end of the selector' : JSON.stringify(token.text);
}

class Parser {
  private pos = 0;
  // A Map, not an object literal: keys like `constructor` must not meet Object.prototype.
  readonly matchLabels = new Map<string, string>();
  readonly matchExpressions: LabelSelectorRequirement[] = [];

  constructor(
    private readonly input: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    // Invariant: the token list ends with an 'end' token that is never consumed.
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'end') this.pos++;
    return t;
  }

  private fail(token: Token, rule: string): SelectorParseError {
    return new SelectorParseError(this.input, token.offset, rule);
  }

  parse(): SelectorParseError | undefined {
    if (this.peek().type === 'end') return undefined;
    for (;;) {
      const problem = this.requirement();
      if (problem) return problem;
      const t = this.next();
      if (t.type === 'end') return undefined;
      if (t.type !== ',') return this.fail(t, `expected ',' or the end of the selector, found ${describe(t)}`);
    }
  }

  private key(): Result<string, SelectorParseError> {
    const t = this.next();
    if (t.type !== 'word') return err(this.fail(t, `expected a label key, found ${describe(t)}`));
    const rule = checkQualifiedName(t.text);
    if (rule) return err(this.fail(t, `label key ${JSON.stringify(t.text)} ${rule}`));
    return ok(t.text);
  }

  /** A value after '=' or '!=': a word, or nothing (the empty value) before ',' or the end. */
  private optionalValue(): Result<string, SelectorParseError> {
    const t = this.peek();
    if (t.type === ',' || t.type === 'end') return ok('');
    this.next();
    if (t.type !== 'word') return err(this.fail(t, `expected a label value, found ${describe(t)}`));
    const rule = checkLabelValue(t.text);
    if (rule) return err(this.fail(t, `label value ${JSON.stringify(t.text)} ${rule}`));
    return ok(t.text);
  }

  private requirement(): SelectorParseError | undefined {
    if (this.peek().type === '!') {
      this.next();
      const key = this.key();
      if (!key.ok) return key.error;
      this.matchExpressions.push({ key: key.value, operator: 'DoesNotExist' });
      return undefined;
    }
    const keyToken = this.peek();
    const key = this.key();
    if (!key.ok) return key.error;
    const op = this.peek();
    switch (op.type) {
      case ',':
      case 'end':
        this.matchExpressions.push({ key: key.value, operator: 'Exists' });
        return undefined;
      case '=':
      case '==': {
        this.next();
        const value = this.optionalValue();
        if (!value.ok) return value.error;
        const previous = this.matchLabels.get(key.value);
        if (previous !== undefined && previous !== value.value) {
          // Two different required values can never both hold; say so rather than match nothing.
          return this.fail(keyToken, `label key ${JSON.stringify(key.value)} is required to equal both ${JSON.stringify(previous)} and ${JSON.stringify(value.value)}`);
        }
        this.matchLabels.set(key.value, value.value);
        return undefined;
      }
      case '!=': {
        this.next();
        const value = this.optionalValue();
        if (!value.ok) return value.error;
        this.matchExpressions.push({ key: key.value, operator: 'NotIn', values: [value.value] });
        return undefined;
      }
      case 'word': {
        if (op.text !== 'in' && op.text !== 'notin') break;
        this.next();
        const values = this.valueSet();
        if (!values.ok) return values.error;
        this.matchExpressions.push({ key: key.value, operator: op.text === 'in' ? 'In' : 'NotIn', values: values.value });
        return undefined;
      }
      default:
        break;
    }
    return this.fail(op, `expected an operator (=, ==, !=, in, notin), ',' or the end of the selector after key ${JSON.stringify(key.value)}, found ${describe(op)}`);
  }

  private valueSet(): Result<string[], SelectorParseError> {
    const open = this.next();
    if (open.type !== '(') return err(this.fail(open, `expected '(', found ${describe(open)}`));
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.type !== 'word') return err(this.fail(t, `expected a label value, found ${describe(t)}`));
      const rule = checkLabelValue(t.text);
      if (rule) return err(this.fail(t, `label value ${JSON.stringify(t.text)} ${rule}`));
      if (!values.includes(t.text)) values.push(t.text);
      const sep = this.next();
      if (sep.type === ')') return ok(values);
      if (sep.type !== ',') return err(this.fail(sep, `expected ',' or ')', found ${describe(sep)}`));
    }
  }
}

/**
 * Parses the string form of a selector (`app=web,tier!=db,env in (prod,staging),!legacy`)
 * into a LabelSelector: equalities go to matchLabels, the rest to
 * matchExpressions in the order written. The empty string selects everything.
 */
export function parseSelector(input: string): Result<LabelSelector, SelectorParseError> {
  const tokens = tokenize(input);
  if (!tokens.ok) return tokens;
  const parser = new Parser(input, tokens.value);
  const problem = parser.parse();
  if (problem) return err(problem);
  const selector: LabelSelector = {};
  if (parser.matchLabels.size > 0) selector.matchLabels = Object.fromEntries(parser.matchLabels);
  if (parser.matchExpressions.length > 0) selector.matchExpressions = parser.matchExpressions;
  return ok(selector);
}
