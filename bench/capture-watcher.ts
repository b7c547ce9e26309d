// A browser's capture channel in its own process, reading (and discarding) everything as a real
// inspector would. Apart from the load generator so that reading the captures does not slow the
// load down and make the tap look more costly than it is. Talks to its parent over IPC.
import { once } from 'node:events';
import WebSocket from 'ws';

const [origin, session] = process.argv.slice(2);
const socket = new WebSocket(`${origin.replace('http', 'ws')}/_wirelab/tap`, { headers: { cookie: `wirelab_session=${session}` } });
let received = 0;
socket.on('message', (data: Buffer) => (received += data.length));
await once(socket, 'open');
process.send!({ type: 'open' });
process.on('message', (message: { type: string }) => {
  if (message.type === 'report') process.send!({ type: 'bytes', bytes: received });
  if (message.type === 'close') {
    socket.close();
    process.disconnect();
  }
});
