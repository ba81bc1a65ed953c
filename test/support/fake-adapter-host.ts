import type { HttpAdapterHost } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';

/**
 * A stand-in for Nest's `HttpAdapterHost`, as far as start-up work watches it: the test says when the app listens
 * ({@link listen}) and sends requests through {@link answer}.
 */
export class FakeAdapterHost {
  listening = false;
  readonly server = new EventEmitter();
  readonly listen$ = new Subject<void>();
  readonly httpAdapter = { getHttpServer: () => this.server };

  /** This object where Nest's is expected. */
  get host(): HttpAdapterHost {
    return this as unknown as HttpAdapterHost;
  }

  listen(): void {
    this.listening = true;
    this.listen$.next();
    this.listen$.complete();
  }

  /** A request arrives; the answer is sent when the returned function is called. */
  answer(): () => void {
    const response = new EventEmitter();
    this.server.emit('request', {}, response);
    return () => response.emit('finish');
  }
}
