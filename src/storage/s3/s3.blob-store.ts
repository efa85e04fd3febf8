// BlobStore on S3 or any S3-compatible server (MinIO, Garage, R2, s3rver in tests).
//
// Atomicity comes from S3 itself: an object appears only when a PutObject or a
// CompleteMultipartUpload succeeds, so readers never see a prefix. lib-storage's Upload buffers
// one part (partSizeBytes) before sending it: a blob that fits in one part goes up as a single
// PutObject of a complete buffer (so a source failing midway sends nothing), a larger one as a
// multipart upload that we abort when anything fails. If even the abort fails (S3 down), the
// parts stay invisible but billed: a bucket lifecycle rule AbortIncompleteMultipartUpload is the
// operator's backstop (docs). Buffered parts also make the SDK's retries of transient 5xx safe.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  assertValidKey,
  BlobNotFoundError,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type PresignOptions,
  type PutResult,
} from '../blob-store.js';
import { contentTypeFor, describeS3Error, isNotFound, s3StatusOf } from './s3-errors.js';

const MIB = 1024 * 1024;

export interface S3BlobStoreOptions {
  bucket: string;
  /** Default us-east-1 (what MinIO and s3rver expect when unsure). */
  region?: string;
  /** e.g. http://127.0.0.1:9000. Omitted: AWS S3 for `region`. */
  endpoint?: string;
  /** Path-style URLs (endpoint/bucket/key): needed by MinIO, s3rver and most self-hosted servers. */
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Every key is stored under `<prefix>/`, so one bucket can hold several instances. */
  prefix?: string;
  /**
   * Blobs up to this size go up in one PutObject; larger ones as multipart with parts of this
   * size. Min 5 MiB (S3's floor). Default 8 MiB. Memory per upload: partSizeBytes × queueSize.
   */
  partSizeBytes?: number;
  /** Parts of one multipart upload in flight at once. Default 4. */
  queueSize?: number;
  /**
   * Per HTTP request, from sending it to the response headers (for an upload, this includes
   * sending the part's body). Past it the request fails and is retried. Default 60 s.
   */
  requestTimeoutMs?: number;
  /** A connection that moves no byte this long is cut (stalled downloads included). Default 120 s. */
  idleTimeoutMs?: number;
  /** TCP connect. Default 5 s. */
  connectTimeoutMs?: number;
  /** Tries per request, first included, with the SDK's backoff on 5xx, throttling, resets. Default 3. */
  maxAttempts?: number;
  /**
   * 'when-required' (default) sends no flexible checksums unless an operation demands them: many
   * S3-compatible servers do not understand the SDK's aws-chunked checksum uploads. Integrity is
   * still checked end to end by the sha256 we compute and store in the row.
   */
  checksums?: 'when-required' | 'when-supported';
  /** Endpoint written into presigned URLs when clients reach S3 at another address than we do. */
  publicEndpoint?: string;
}

export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly presignClient: S3Client;
  /** Normalised: no leading or trailing slash; '' when none. */
  readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  /** Where the bucket lives, for error messages. */
  private readonly where: string;

  constructor(private readonly opts: S3BlobStoreOptions) {
    if (!opts.bucket) throw new Error('S3BlobStore: a bucket name is required');
    this.bucket = opts.bucket;
    this.prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix) assertValidKey(this.prefix);
    this.partSize = opts.partSizeBytes ?? 8 * MIB;
    if (this.partSize < 5 * MIB) throw new Error(`S3BlobStore: partSizeBytes must be at least 5 MiB (S3's minimum part size), got ${this.partSize}`);
    this.queueSize = opts.queueSize ?? 4;
    const region = opts.region ?? 'us-east-1';
    this.where = opts.endpoint ?? `AWS S3 (${region})`;
    this.client = this.makeClient(opts.endpoint);
    this.presignClient = opts.publicEndpoint ? this.makeClient(opts.publicEndpoint) : this.client;
  }

  private makeClient(endpoint: string | undefined): S3Client {
    const o = this.opts;
    const checksums = o.checksums === 'when-supported' ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED';
    return new S3Client({
      region: o.region ?? 'us-east-1',
      endpoint,
      forcePathStyle: o.forcePathStyle,
      credentials: o.credentials,
      maxAttempts: o.maxAttempts ?? 3,
      requestChecksumCalculation: checksums,
      responseChecksumValidation: checksums,
      requestHandler: {
        connectionTimeout: o.connectTimeoutMs ?? 5_000,
        requestTimeout: o.requestTimeoutMs ?? 60_000,
        // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
        throwOnRequestTimeout: true,
        socketTimeout: o.idleTimeoutMs ?? 120_000,
      },
    });
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async put(key: string, source: BlobSource): Promise<PutResult> {
    const Key = this.objectKey(key);
    const hash = createHash('sha256');
    let bytes = 0;
    let input: Readable | null = null;
    let body: Buffer | Readable;
    if (Buffer.isBuffer(source)) {
      hash.update(source);
      bytes = source.length;
      body = source;
    } else {
      input = source instanceof Readable ? source : createReadStream(source.file);
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          bytes += chunk.length;
          cb(null, chunk);
        },
      });
      // A source error destroys `counter` with that error, which fails the Upload reading it.
      pipeline(input, counter, () => {});
      body = counter;
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: body, ContentType: contentTypeFor(key) },
      partSize: this.partSize,
      queueSize: this.queueSize,
      // We abort ourselves: lib-storage's own abort, if it fails, replaces the error that caused it.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (err) {
      const sourceError = input?.errored;
      input?.destroy();
      await this.abortMultipart(upload, Key);
      // The source broke (a failed render, a cut client upload): that is the error to report.
      if (sourceError) throw sourceError;
      throw this.failure('put', key, err);
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  /** Best effort: the failed upload's parts were never visible; this frees them. */
  private async abortMultipart(upload: Upload, Key: string): Promise<void> {
    // lib-storage keeps the id of the multipart upload it created in a field its types hide.
    const uploadId = (upload as unknown as { uploadId?: string }).uploadId;
    if (!uploadId) return;
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId }));
    } catch {
      // Left to the bucket's AbortIncompleteMultipartUpload lifecycle rule (see the header).
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const Key = this.objectKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw this.failure('get', key, err);
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    const Key = this.objectKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { bytes: res.ContentLength ?? 0, modifiedAt: res.LastModified?.getTime() ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw this.failure('stat', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      // S3 answers 204 for a missing key too: idempotent as the interface asks.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      if (isNotFound(err)) return;
      throw this.failure('delete', key, err);
    }
  }

  async presignedUrl(key: string, opts: PresignOptions): Promise<string> {
    const Key = this.objectKey(key);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key,
      ResponseContentDisposition: opts.filename ? `inline; filename="${opts.filename.replace(/["\\\r\n]/g, '_')}"` : undefined,
      ResponseContentType: opts.contentType,
    });
    // Range is deliberately not signed: a signed Range would refuse every other range the
    // browser asks for when it seeks.
    return getSignedUrl(this.presignClient, command, { expiresIn: opts.expiresInSeconds });
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const status = s3StatusOf(err);
      if (status === 404) throw new Error(`S3 bucket "${this.bucket}" does not exist at ${this.where}: create it, or point the bucket setting at an existing one`, { cause: err });
      if (status === 403 || status === 401) throw new Error(`S3 at ${this.where} refused access to bucket "${this.bucket}": check the access key, the secret and the key's permissions on the bucket`, { cause: err });
      throw new Error(`S3 at ${this.where} is unreachable (bucket "${this.bucket}"): ${describeS3Error(err)}`, { cause: err });
    }
  }

  private failure(op: string, key: string, err: unknown): Error {
    return new Error(`S3 ${op} of "${key}" failed (bucket "${this.bucket}" at ${this.where}): ${describeS3Error(err)}`, { cause: err });
  }

  /** Closes the client's idle connections (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
    if (this.presignClient !== this.client) this.presignClient.destroy();
  }
}
