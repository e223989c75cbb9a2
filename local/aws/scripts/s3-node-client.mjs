// Drives the local S3 with the AWS SDK for JavaScript v3 at its default settings: a client nobody here wrote, and one
// that sends a CRC32 checksum with every upload by default (header or aws-chunked trailer) and validates the
// checksum of every download, as all current AWS SDKs do. Each check prints a PASS line; the first failure prints
// FAIL and exits 1.
//
// Usage: S3_ENDPOINT=http://127.0.0.1:PORT node local/aws/scripts/s3-node-client.mjs
// Run by S3NodeClientTest after `npm ci` in local/aws. Credentials are the documented local dummies.
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const endpoint = process.env.S3_ENDPOINT;
if (!endpoint) {
  console.error("FAIL: set S3_ENDPOINT to the local S3 endpoint");
  process.exit(2);
}

const client = new S3Client({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "boxoffice", secretAccessKey: "boxoffice-local-secret" },
});

// The headers of the last request as it went on the wire, signed: what the SDK chose to send by default.
let sentHeaders = {};
client.middlewareStack.add(
  (next) => async (args) => {
    sentHeaders = { ...args.request.headers };
    return next(args);
  },
  { step: "deserialize", name: "recordSentHeaders" },
);

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    fail(message);
  }
}

function base64Crc32(bytes) {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(crc32(bytes));
  return buffer.toString("base64");
}

function base64Digest(algorithm, bytes) {
  return createHash(algorithm).update(bytes).digest("base64");
}

function checksumHeaderSent() {
  const trailer = sentHeaders["x-amz-trailer"];
  if (trailer) {
    return `${trailer} as an aws-chunked trailer (${sentHeaders["x-amz-content-sha256"]})`;
  }
  const header = Object.keys(sentHeaders).find((name) => name.startsWith("x-amz-checksum-"));
  return header ? `${header} as a header` : undefined;
}

async function readAll(body) {
  return Buffer.from(await body.transformToByteArray());
}

async function errorOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

const bucket = `node-client-${process.pid}`;
await client.send(new CreateBucketCommand({ Bucket: bucket }));

// --- PutObject at defaults, from bytes and from a stream -------------------------------------------------------
const small = randomBytes(64 * 1024);
await client.send(new PutObjectCommand({ Bucket: bucket, Key: "small.bin", Body: small }));
const sentForBytes = checksumHeaderSent();
check(sentForBytes?.includes("x-amz-checksum-crc32"), `PutObject of bytes sent no CRC32: ${sentForBytes}`);
let got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "small.bin", ChecksumMode: "ENABLED" }));
check((await readAll(got.Body)).equals(small), "the object read back differs from the upload");
check(got.ChecksumCRC32 === base64Crc32(small),
  `GetObject answered CRC32 ${got.ChecksumCRC32}, not ${base64Crc32(small)}`);
console.log(`PASS: PutObject at defaults (64 KiB bytes) sent ${sentForBytes}; GetObject with ChecksumMode `
  + "ENABLED reads it back byte for byte with the same CRC32");

await client.send(new PutObjectCommand({
  Bucket: bucket, Key: "streamed.bin", Body: Readable.from([small.subarray(0, 40000), small.subarray(40000)]),
  ContentLength: small.length,
}));
const sentForStream = checksumHeaderSent();
check(sentForStream?.includes("x-amz-checksum-crc32"), `PutObject of a stream sent no CRC32: ${sentForStream}`);
got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "streamed.bin", ChecksumMode: "ENABLED" }));
check((await readAll(got.Body)).equals(small), "the streamed object read back differs from the upload");
check(got.ChecksumCRC32 === base64Crc32(small), `the streamed object's CRC32 is ${got.ChecksumCRC32}`);
console.log(`PASS: PutObject at defaults (64 KiB stream) sent ${sentForStream}; read back with the same CRC32`);

// --- Every algorithm the SDK offers ----------------------------------------------------------------------------
const expected = { SHA1: base64Digest("sha1", small), SHA256: base64Digest("sha256", small) };
for (const algorithm of ["CRC32C", "SHA1", "SHA256", "CRC64NVME"]) {
  const put = await client.send(new PutObjectCommand({
    Bucket: bucket, Key: `algorithm/${algorithm}`, Body: small, ChecksumAlgorithm: algorithm,
  }));
  const field = `Checksum${algorithm}`;
  check(put[field], `PutObject with ${algorithm} answered no ${field}`);
  check(!expected[algorithm] || put[field] === expected[algorithm],
    `PutObject with ${algorithm} answered ${put[field]}, not ${expected[algorithm]}`);
  const head = await client.send(new HeadObjectCommand({
    Bucket: bucket, Key: `algorithm/${algorithm}`, ChecksumMode: "ENABLED",
  }));
  check(head[field] === put[field], `HeadObject answered ${field} ${head[field]}, not ${put[field]}`);
  got = await client.send(new GetObjectCommand({
    Bucket: bucket, Key: `algorithm/${algorithm}`, ChecksumMode: "ENABLED",
  }));
  check((await readAll(got.Body)).equals(small), `the ${algorithm} object read back differs`);
  check(got[field] === put[field], `GetObject answered ${field} ${got[field]}, not ${put[field]}`);
}
console.log("PASS: PutObject with CRC32C, SHA1, SHA256 and CRC64NVME; HeadObject and GetObject with ChecksumMode "
  + "ENABLED answer the stored checksum, validated by the SDK");

// --- A wrong checksum is refused and nothing is stored ---------------------------------------------------------
const wrong = await errorOf(client.send(new PutObjectCommand({
  Bucket: bucket, Key: "wrong.bin", Body: small, ChecksumCRC32: base64Crc32(Buffer.from("something else")),
})));
check(wrong?.name === "BadDigest" && wrong.$metadata?.httpStatusCode === 400,
  `a wrong CRC32 answered ${wrong?.name} ${wrong?.$metadata?.httpStatusCode}, not 400 BadDigest`);
const missing = await errorOf(client.send(new HeadObjectCommand({ Bucket: bucket, Key: "wrong.bin" })));
check(missing?.$metadata?.httpStatusCode === 404, "the object with the wrong checksum was stored");
console.log("PASS: a PutObject whose CRC32 does not match its body is refused 400 BadDigest and stores nothing");

// --- Multipart above 8 MiB with lib-storage's Upload -----------------------------------------------------------
const large = randomBytes(12 * 1024 * 1024 + 123);
const upload = new Upload({
  client, params: { Bucket: bucket, Key: "large.bin", Body: large }, partSize: 5 * 1024 * 1024, queueSize: 2,
});
const parts = [];
upload.on("httpUploadProgress", (progress) => parts.push(progress.part));
await upload.done();
check(new Set(parts).size >= 3, `the 12 MiB upload went in ${new Set(parts).size} part(s), not 3`);
got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "large.bin", ChecksumMode: "ENABLED" }));
check((await readAll(got.Body)).equals(large), "the multipart object read back differs from the upload");
const multipartChecksum = Object.keys(got).filter((name) => /^Checksum(CRC|SHA)/.test(name));
check(multipartChecksum.length > 0, "GetObject of the multipart object answered no checksum");
console.log(`PASS: Upload of 12 MiB in ${new Set(parts).size} parts; GetObject answers it byte for byte with `
  + `${multipartChecksum.join(", ")} (${got.ChecksumType})`);

// --- Presigned GET after the upload ----------------------------------------------------------------------------
const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "small.bin" }), { expiresIn: 300 });
const presigned = await fetch(url);
check(presigned.status === 200, `the presigned GET answered ${presigned.status}`);
check(Buffer.from(await presigned.arrayBuffer()).equals(small), "the presigned GET's body differs from the upload");
console.log("PASS: a presigned GET of the uploaded object answers 200 with its bytes");

const version = JSON.parse(
  readFileSync(new URL("../node_modules/@aws-sdk/client-s3/package.json", import.meta.url), "utf8"),
).version;
console.log(`s3-node-client: all checks passed with @aws-sdk/client-s3 ${version} on Node ${process.versions.node}`);
