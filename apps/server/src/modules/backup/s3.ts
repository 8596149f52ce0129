import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../../config/env.ts';

export type S3Config = Pick<
  AppConfig,
  'BACKUP_S3_BUCKET' | 'BACKUP_S3_ENDPOINT' | 'BACKUP_S3_REGION' | 'BACKUP_S3_ACCESS_KEY_ID' | 'BACKUP_S3_SECRET_ACCESS_KEY' | 'BACKUP_S3_PREFIX'
>;

/** The bucket backups are copied to, or null when BACKUP_S3_BUCKET is not set. */
export class BackupBucket {
  private constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly prefix: string,
  ) {}

  static fromConfig(config: S3Config): BackupBucket | null {
    if (!config.BACKUP_S3_BUCKET) return null;
    const client = new S3Client({
      region: config.BACKUP_S3_REGION,
      ...(config.BACKUP_S3_ENDPOINT ? { endpoint: config.BACKUP_S3_ENDPOINT, forcePathStyle: true } : {}),
      ...(config.BACKUP_S3_ACCESS_KEY_ID && config.BACKUP_S3_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: config.BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: config.BACKUP_S3_SECRET_ACCESS_KEY } }
        : {}),
      // A dump is uploaded as one signed body; S3 checks it against x-amz-content-sha256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
    return new BackupBucket(client, config.BACKUP_S3_BUCKET, config.BACKUP_S3_PREFIX);
  }

  key(file: string): string {
    return `${this.prefix}${file}`;
  }

  url(file: string): string {
    return `s3://${this.bucket}/${this.key(file)}`;
  }

  /** Uploads a file under the prefix with its SHA-256 as metadata. */
  async put(localPath: string): Promise<string> {
    const body = await readFile(localPath);
    const file = path.basename(localPath);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(file),
        Body: body,
        ContentLength: body.length,
        ContentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        Metadata: { sha256: createHash('sha256').update(body).digest('hex') },
      }),
    );
    return this.url(file);
  }

  /** File names (without the prefix) under the prefix, in key order. */
  async list(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) names.push(object.Key.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  async get(file: string, localPath: string): Promise<void> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(file) }));
    if (!object.Body) throw new Error(`Empty object ${this.url(file)}`);
    await writeFile(localPath, await object.Body.transformToByteArray());
  }

  async getText(file: string): Promise<string> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(file) }));
    if (!object.Body) throw new Error(`Empty object ${this.url(file)}`);
    return object.Body.transformToString('utf8');
  }

  close(): void {
    this.client.destroy();
  }
}
