/** Chunk: Amazon Polly speech, stored in S3 and handed out as a presigned URL (voice turns). */
export { PollyClient, SynthesizeSpeechCommand } from '@aws-sdk/client-polly';
export { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
export { getSignedUrl } from '@aws-sdk/s3-request-presigner';
