import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { isProbeRequest, ProbeSeats } from './probe-seats';

describe('isProbeRequest', () => {
  it.each([
    ['GET', '/api/v1/health/live'],
    ['HEAD', '/api/v1/health/live'],
    ['GET', '/api/v1/health/ready'],
    ['GET', '/api/v1/health/ready?probe=kubelet'],
    ['GET', 'http://10.0.0.7:9000/api/v1/health/live'],
  ])('%s %s is a probe', (method, url) => expect(isProbeRequest({ method, url })).toBe(true));

  it.each([
    ['POST', '/api/v1/health/live'],
    ['GET', '/api/v1/health'],
    ['GET', '/api/v1/health/events'],
    ['GET', '/api/v1/health/live/'],
    ['GET', '/api/v1/health/%6Cive'],
    ['GET', '/api/v1/health/live/../events'],
    ['GET', '/status'],
    ['GET', undefined],
  ])('%s %s is not', (method, url) => expect(isProbeRequest({ method, url })).toBe(false));
});

describe('ProbeSeats', () => {
  const socket = () => new EventEmitter() as Socket;
  const request = (on: Socket, url: string) => ({ method: 'GET', url, socket: on }) as IncomingMessage;

  it('gives the shared seats first, then serves only probes on a probe seat, request by request', () => {
    const seats = new ProbeSeats(2);
    const [a, b, c] = [socket(), socket(), socket()];
    [a, b, c].forEach((s) => seats.seat(s));
    expect(seats.admits(request(a, '/api/v1/health/events'))).toBe(true);
    expect(seats.admits(request(b, '/status'))).toBe(true);
    expect(seats.admits(request(c, '/api/v1/health/live'))).toBe(true);
    // The same keep-alive connection, asking for something else next.
    expect(seats.admits(request(c, '/api/v1/health/events'))).toBe(false);
    expect(seats.admits(request(c, '/api/v1/health/ready'))).toBe(true);
  });

  it('gives a shared seat back when its socket closes', () => {
    const seats = new ProbeSeats(1);
    const first = socket();
    seats.seat(first);
    const second = socket();
    seats.seat(second);
    expect(seats.admits(request(second, '/api/v1/health/history'))).toBe(false);
    first.emit('close');
    const third = socket();
    seats.seat(third);
    expect(seats.admits(request(third, '/api/v1/health/history'))).toBe(true);
    // A probe seat closing frees no shared seat.
    second.emit('close');
    const fourth = socket();
    seats.seat(fourth);
    expect(seats.admits(request(fourth, '/api/v1/health/history'))).toBe(false);
  });
});
