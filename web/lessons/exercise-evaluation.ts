// What an exercise card needs once there is traffic to check: the checks and the identity of a
// miss (the teacher's board counts each new one). One chunk, fetched after the lesson's text.
export { evaluateCheck } from '../../contracts/exercise-checks/evaluate-check.ts';
export { missIdentity } from './miss-identity.ts';
