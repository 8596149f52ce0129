import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for an S3-compatible object store, path-style
 * (`/<bucket>/<key>`), enough for backups: PutObject, GetObject and
 * ListObjectsV2, answered as S3 does (XML listings and errors). Every request
 * must carry a SigV4 Authorization header for the configured access key, and
 * an upload's body must match its x-amz-content-sha256 (S3 refuses both
 * otherwise: 403 / 400 XAmzContentSHA256Mismatch).
 */
export interface FakeS3 {
  /** BACKUP_S3_ENDPOINT */
  url: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stored objects by key. */
  objects: Map<string, Buffer>;
  /** Every request: method, key (without the bucket), query, status. */
  requests: { method: string; key: string; query: string; status: number; authorization: string | null; contentSha256: string | null }[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function error(response: ServerResponse, status: number, code: string, message: string) {
  response
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`);
}

export async function startFakeS3(options: { bucket?: string; accessKeyId?: string; secretAccessKey?: string } = {}): Promise<FakeS3> {
  const bucket = options.bucket ?? 'mona-backups-test';
  const accessKeyId = options.accessKeyId ?? 'AKIATESTBACKUPS00001';
  const secretAccessKey = options.secretAccessKey ?? 'test-secret-key-for-the-loopback-s3';
  const objects = new Map<string, Buffer>();
  const requests: FakeS3['requests'] = [];

  const handle = (request: IncomingMessage, body: Buffer, response: ServerResponse): number => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const authorization = request.headers.authorization ?? '';
    // AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/s3/aws4_request, SignedHeaders=..., Signature=<64 hex>
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[^/]+\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
    if (!auth) return (error(response, 403, 'AccessDenied', 'Missing or malformed SigV4 Authorization header'), 403);
    if (auth[1] !== accessKeyId) return (error(response, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'), 403);
    if (!auth[2]!.split(';').includes('x-amz-content-sha256')) return (error(response, 403, 'AccessDenied', 'x-amz-content-sha256 is not signed'), 403);
    if (bucketName !== bucket) return (error(response, 404, 'NoSuchBucket', 'The specified bucket does not exist'), 404);

    if (request.method === 'PUT' && key) {
      const declared = request.headers['x-amz-content-sha256'];
      const actual = createHash('sha256').update(body).digest('hex');
      if (declared !== actual) {
        return (error(response, 400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."), 400);
      }
      objects.set(key, body);
      response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return 200;
    }
    if (request.method === 'GET' && key) {
      const object = objects.get(key);
      if (!object) return (error(response, 404, 'NoSuchKey', 'The specified key does not exist.'), 404);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': object.length }).end(object);
      return 200;
    }
    if (request.method === 'GET' && !key && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Number(url.searchParams.get('max-keys') ?? 1000);
      const after = url.searchParams.get('continuation-token') ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, max);
      const truncated = keys.length > page.length;
      const contents = page
        .map((k) => `<Contents><Key>${xmlEscape(k)}</Key><Size>${objects.get(k)!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
        .join('');
      response
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix>` +
            `<KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}` +
            (truncated ? `<NextContinuationToken>${xmlEscape(page.at(-1)!)}</NextContinuationToken>` : '') +
            `</ListBucketResult>`,
        );
      return 200;
    }
    return (error(response, 501, 'NotImplemented', `${request.method} ${url.pathname}${url.search} is not implemented here`), 501);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = handle(request, Buffer.concat(chunks), response);
      const url = new URL(request.url ?? '/', 'http://localhost');
      requests.push({
        method: request.method ?? '',
        key: decodeURIComponent(url.pathname.split('/').slice(2).join('/')),
        query: url.search,
        status,
        authorization: request.headers.authorization ?? null,
        contentSha256: (request.headers['x-amz-content-sha256'] as string | undefined) ?? null,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
