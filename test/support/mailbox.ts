import { simpleParser, type ParsedMail } from 'mailparser';
import { startSmtpCapture, type SmtpCapture } from '../../platform/mail/smtp-capture';

/** A real in-process SMTP server whose received messages a test can read and wait for. */
export class TestMailbox {
  readonly messages: ParsedMail[] = [];
  private waiters: Array<() => void> = [];
  /** While set, every message is refused for now (451) with this text. */
  refusal: string | undefined;
  /** While set, messages to this address are refused for now (451); the others are taken. */
  refusedRecipient: string | undefined;

  private constructor(private capture: SmtpCapture) {}

  static async start(): Promise<TestMailbox> {
    let box: TestMailbox | undefined;
    const pending: ParsedMail[] = [];
    const capture = await startSmtpCapture({
      refuse: (recipients) => box?.refusal
        ?? (box?.refusedRecipient !== undefined && recipients.includes(box.refusedRecipient) ? `mailbox ${box.refusedRecipient} unavailable` : undefined),
      async onMail(mail) {
        const parsed = await simpleParser(mail.raw);
        if (box) box.receive(parsed);
        else pending.push(parsed);
      },
    });
    box = new TestMailbox(capture);
    pending.forEach((m) => box!.receive(m));
    return box;
  }

  get url(): string {
    return this.capture.url;
  }

  /** SMTP connections clients have opened so far. */
  get connections(): number {
    return this.capture.connections;
  }

  private receive(message: ParsedMail): void {
    this.messages.push(message);
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** Resolves once `count` messages have arrived; fails after `timeoutMs` of real time. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails, got ${this.messages.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.messages;
  }

  /** Resolves with the first message `matches` accepts, waiting for it if need be. */
  async waitForMatch(matches: (m: ParsedMail) => boolean, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching mail among ${this.messages.length}: ${this.messages.map((m) => m.subject).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  close(): Promise<void> {
    return this.capture.close();
  }
}
