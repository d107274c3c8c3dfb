import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createFileAttachmentStore } from '../../stores/attachments';
import { testCatalog } from '../helpers/catalog';
import { TEST_SESSION, TestDirectory, bearer, people, testDirectory } from '../helpers/people';
import { connectTestTemporal, type TestTemporal, testProjection } from '../helpers/temporal';

/** Uploads over HTTP into the file store: the server hashes, sniffs, limits and decides who reads. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-attachments-'));
const { catalog, cleanup } = testCatalog();
let temporal: TestTemporal;
let app: Express;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('a sign-in sheet, photographed'),
]);
const PDF = Buffer.from('%PDF-1.7\n会议记录：应到 7 人，实到 6 人\n%%EOF');

beforeAll(async () => {
  temporal = await connectTestTemporal();
  app = createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: 'attachments-unused' },
    projection: testProjection('attachments-unused'),
    catalog,
    directory: new TestDirectory(await testDirectory(['xinglong', 'dongfeng'])),
    session: TEST_SESSION,
    logger: pino({ level: 'error' }),
    attachments: createFileAttachmentStore(dir),
  });
});

afterAll(async () => {
  await temporal.close();
  cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const upload = async (bytes: Buffer, type: string, query: string, as: string = people.secretary.userId) =>
  request(app)
    .post(`/api/attachments?${query}`)
    .set('Authorization', await bearer(as))
    .set('content-type', type)
    .send(bytes);

describe('attachments', () => {
  test('given a PDF of the minutes, then the server keeps it under its own sha256 and serves it back to the village', async () => {
    const res = await upload(PDF, 'application/octet-stream', 'village=xinglong&matter=matter-1&name=minutes.pdf');

    expect(res.status).toBe(201);
    const hash = createHash('sha256').update(PDF).digest('hex');
    expect(res.body).toEqual({ hash, type: 'application/pdf', size: PDF.length });

    const back = await request(app)
      .get(`/api/attachments/${hash}`)
      .set('Authorization', await bearer(people.supervisor.userId))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(back.body as Buffer, PDF)).toBe(0);
    // the town reads the villages of its town
    const town = await request(app)
      .get(`/api/attachments/${hash}`)
      .set('Authorization', await bearer(people.town.userId));
    expect(town.status).toBe(200);
  });

  test('the same photo twice is stored once', async () => {
    const first = await upload(PNG, 'image/png', 'village=xinglong');
    const again = await upload(PNG, 'image/png', 'village=dongfeng', people.accountant.userId);

    expect(again.body.hash).toBe(first.body.hash);
    const folder = path.join(dir, String(first.body.hash).slice(0, 2));
    expect(
      readdirSync(folder)
        .filter((f) => f.startsWith(String(first.body.hash)))
        .sort(),
    ).toEqual([first.body.hash, `${first.body.hash}.json`]);
  });

  test('given a file that is not a PDF or a photo, whatever its declared type, then 415 naming the body', async () => {
    const res = await upload(Buffer.from('<html><script>alert(1)</script>'), 'application/pdf', 'village=xinglong');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.details[0].field).toBe('body');
  });

  test('given a file over the limit, then 413', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload(big, 'application/pdf', 'village=xinglong');

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('nobody uploads anonymously or for a village where they hold no role; the public does not read village files', async () => {
    const anonymous = await request(app)
      .post('/api/attachments?village=xinglong')
      .set('content-type', 'application/pdf')
      .send(PDF);
    expect(anonymous.status).toBe(401);
    const elsewhere = await upload(PDF, 'application/pdf', 'village=nowhere');
    expect(elsewhere.status).toBe(404);

    const hash = createHash('sha256').update(PDF).digest('hex');
    const publicRead = await request(app).get(`/api/attachments/${hash}`);
    expect(publicRead.status).toBe(401);
    const badHash = await request(app).get('/api/attachments/not-a-hash');
    expect(badHash.status).toBe(400);
    expect(badHash.body.error.details[0].field).toBe('params.hash');
  });
});
