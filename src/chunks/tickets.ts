/** Chunk: Amazon SQS, for the ticket queue (ticket turns only: issue reports and hand-offs). */
export { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
