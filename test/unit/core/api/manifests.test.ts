import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../../core/api/index.js';
import type { ApiObject, ManifestError, ManifestProblem } from '../../../../core/api/index.js';
import { deployment, service } from './fixtures.js';

function objects(text: string, source = 'test.yaml'): ApiObject[] {
  const result = parseManifests(text, source);
  if (!result.ok) throw result.error;
  return result.value;
}

function problems(text: string, source = 'test.yaml'): { error: ManifestError; problems: readonly ManifestProblem[] } {
  const result = parseManifests(text, source);
  if (result.ok) throw new Error('expected the manifest to be refused');
  return { error: result.error, problems: result.error.problems };
}

const WEB = `# The web tier
apiVersion: drover/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports: [{ containerPort: 80, name: http }]
          resources:
            requests: { cpu: 250m, memory: 64Mi }
            limits: { cpu: 1, memory: 128Mi }
---
apiVersion: drover/v1
kind: Service
metadata: { name: web, namespace: prod }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
`;

describe('parseManifests', () => {
  it('reads several YAML documents, in order, validated before defaults (no namespace needed)', () => {
    const [web, svc, ...rest] = objects(WEB);
    expect(rest).toEqual([]);
    expect(web?.kind).toBe('Deployment');
    expect(web?.metadata).toEqual({ name: 'web', labels: { app: 'web' } });
    expect(web?.kind === 'Deployment' && web.spec.template.spec.containers[0]?.resources?.limits?.cpu).toBe(1);
    expect(svc?.kind).toBe('Service');
    expect(svc?.metadata.namespace).toBe('prod');
  });

  it('skips empty documents and comments', () => {
    expect(objects(`---\n# nothing here\n---\n${WEB}\n---\n`)).toHaveLength(2);
    expect(objects('')).toEqual([]);
    expect(objects('# only a comment\n')).toEqual([]);
  });

  it('reads JSON, by name or by its first character', () => {
    const json = JSON.stringify(deployment(), null, 2);
    expect(objects(json, 'web.json')).toEqual([deployment()]);
    expect(objects(json, '<stdin>')).toEqual([deployment()]);
  });

  it('reads lists: a JSON array, and a List document', () => {
    expect(objects(JSON.stringify([deployment(), service()]), 'all.json').map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    const list = `apiVersion: drover/v1\nkind: List\nitems:\n  - ${JSON.stringify(deployment())}\n  - ${JSON.stringify(service())}\n`;
    expect(objects(list).map((o) => o.kind)).toEqual(['Deployment', 'Service']);
  });

  it('takes a field written as null (`labels:` and nothing) as absent', () => {
    const text = 'apiVersion: drover/v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels:\n  annotations: ~\n';
    expect(objects(text)).toEqual([{ apiVersion: 'drover/v1', kind: 'Namespace', metadata: { name: 'team-a' } }]);
  });

  describe('malformed text', () => {
    it('names the line and column of a YAML error, and the document', () => {
      const text = `${WEB}---\napiVersion: drover/v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\n`;
      const { error, problems: found } = problems(text, 'web.yaml');
      const badLine = text.split('\n').indexOf('  name: q') + 1;
      expect(found).toEqual([
        { type: 'syntax', documentIndex: 2, line: badLine, column: 3, message: 'malformed YAML: Map keys must be unique' },
      ]);
      expect(error.message).toBe(`web.yaml:${badLine}:3: document 3: malformed YAML: Map keys must be unique`);
      expect(error.code).toBe('INVALID_MANIFEST');
      expect(error.sourceName).toBe('web.yaml');
    });

    it.each([
      ['an unclosed flow sequence', 'apiVersion: drover/v1\nkind: Pod\nports: [1, 2\n', 4, 1],
      ['a duplicate key', 'apiVersion: drover/v1\nkind: Pod\nkind: Service\n', 3, 1],
      ['a tab for indentation', 'metadata:\n\tname: x\n', 2, 1],
      ['a nested compact mapping', 'kind: Pod\nmetadata: name: web\n', 2, 11],
      ['a mapping item out of line', 'spec:\n  - a\n  b: c\n', 3, 1],
      ['an alias without its anchor', 'metadata:\n  labels: *common\n', 2, 11],
    ])('reports %s at its line and column', (_what, text, line, column) => {
      const { problems: found } = problems(text);
      expect(found[0]).toMatchObject({ type: 'syntax', documentIndex: 0, line, column });
    });

    it('names the line and column of a JSON error', () => {
      const text = '{\n  "apiVersion": "drover/v1",\n  "kind": "Pod",\n}\n';
      const { error, problems: found } = problems(text, 'pod.json');
      expect(found).toEqual([
        { type: 'syntax', documentIndex: 0, line: 4, column: 1, message: expect.stringMatching(/^malformed JSON: /) },
      ]);
      expect(error.message).toMatch(/^pod\.json:4:1: document 1: malformed JSON: /);
    });

    it('stops alias bombs', () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
      expect(problems(bomb).problems[0]?.type).toBe('syntax');
    });
  });

  describe('invalid objects', () => {
    it('names each document, its object, and every broken rule', () => {
      const text = `${WEB.replace('replicas: 3', 'replicas: -1')}---\napiVersion: v1\nkind: Pod\nmetadata: { name: p }\n---\nkind: Widget\n`;
      const { error, problems: found } = problems(text, 'web.yaml');
      expect(found.map((p) => p.documentIndex)).toEqual([0, 2, 3]);
      expect(error.message.split('\n')).toEqual([
        'web.yaml: document 1 (Deployment web): spec.replicas: must be >= 0',
        'web.yaml: document 3 (Pod p): apiVersion: must be "drover/v1"; spec: is required',
        'web.yaml: document 4 (Widget): apiVersion: is required; kind: must be one of Namespace, Node, Pod, ReplicaSet, Deployment, Service, Endpoints, Event',
      ]);
      expect(found[0]).toEqual({
        type: 'invalid',
        documentIndex: 0,
        object: { kind: 'Deployment', name: 'web' },
        errors: [{ path: 'spec.replicas', rule: 'must be >= 0', value: -1 }],
      });
    });

    it('names the item of a list', () => {
      const bad = { ...service(), spec: { ports: [] } };
      const { error, problems: found } = problems(JSON.stringify([deployment(), bad]), 'all.json');
      expect(found).toMatchObject([{ type: 'invalid', documentIndex: 0, itemIndex: 1 }]);
      expect(error.message).toBe('all.json: document 1, item 2 (Service default/web): spec.ports: must have at least one port');
    });

    it('refuses a document that is not a mapping', () => {
      expect(problems('just a string\n').error.message).toBe('test.yaml: document 1 (object): <root>: must be an object (a mapping) with apiVersion, kind and metadata');
    });

    it('reads YAML 1.2: `yes` is a string, so a boolean field refuses it', () => {
      const text = WEB.replace('replicas: 3', 'replicas: 3\n  paused: yes');
      expect(problems(text).error.message).toContain('spec.paused: must be a boolean');
    });
  });
});
