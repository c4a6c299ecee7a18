/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) for tests, the demo and benchmarks:
 * nodemailer speaks real SMTP to it. It keeps every message it accepted (raw RFC 5322 bytes,
 * parsed on demand with mailparser), can answer a recipient with a scripted reply (451 greylisting,
 * 550 unknown user), and lets a test wait for the n-th message instead of sleeping.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  receivedAt: number;
  parse(): Promise<ParsedMail>;
}

export interface LocalSmtpServer {
  readonly url: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** The next `times` RCPT TO for `address` are answered `code message` (e.g. 451 greylisted). */
  refuseRecipient(address: string, code: number, message: string, times?: number): void;
  /** Resolves once `count` messages in all (or for `to`) were accepted. */
  waitForMessages(count: number, options?: { to?: string; timeoutMs?: number }): Promise<ReceivedMail[]>;
  /** Every RCPT TO answered, accepted or not (what was tried). */
  readonly attempts: { to: string; code: number }[];
  close(): Promise<void>;
}

export async function startLocalSmtpServer(): Promise<LocalSmtpServer> {
  const messages: ReceivedMail[] = [];
  const attempts: { to: string; code: number }[] = [];
  const refusals = new Map<string, { code: number; message: string; left: number }>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 100 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const refusal = refusals.get(to);
      if (refusal && refusal.left > 0) {
        refusal.left--;
        attempts.push({ to, code: refusal.code });
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        return;
      }
      attempts.push({ to, code: 250 });
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          raw,
          receivedAt: Date.now(),
          parse: () => simpleParser(raw),
        });
        callback();
        for (const wake of waiters) wake();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    attempts,
    refuseRecipient(address, code, message, times = 1) {
      refusals.set(address.toLowerCase(), { code, message, left: times });
    },
    waitForMessages(count, options = {}) {
      const matching = () => messages.filter((mail) => !options.to || mail.to.includes(options.to.toLowerCase()));
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching();
          if (found.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} message(s)${options.to ? ` to ${options.to}` : ''}; got ${matching().length}`));
        }, options.timeoutMs ?? 30_000);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
