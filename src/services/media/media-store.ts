import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where owners' media are kept: a directory under DATA_DIR by default, or any S3-compatible object store
 * (MinIO, Alibaba OSS, Tencent COS, AWS) when configured. Keys are ours (no owner-chosen names).
 */
export interface MediaStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>
  /** Removes the file (nothing happens if there is none). */
  delete(key: string): Promise<void>
}

/** Files on local disk: written to a temporary name and renamed, so a crash never leaves half a file. */
export class FileMediaStore implements MediaStore {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    if (!/^[a-z0-9][a-z0-9/._-]*$/.test(key) || key.includes('..')) throw new Error(`unsafe media key ${key}`)
    return path.join(this.root, key)
  }

  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    const target = this.file(key)
    await mkdir(path.dirname(target), { recursive: true })
    const temporary = `${target}.${process.pid}.partial`
    await writeFile(temporary, bytes)
    await rename(temporary, target)
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true })
  }
}

export interface S3Settings {
  endpoint: string | null
  region: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** MinIO and most self-hosted stores want path-style addresses (host/bucket/key). */
  forcePathStyle: boolean
}

/** An S3-compatible object store through the AWS SDK, the maintained client every such store accepts. */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    })
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: bytes, ContentType: contentType }),
    )
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }))
      return Buffer.from(await answer.Body!.transformToByteArray())
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }))
  }
}
