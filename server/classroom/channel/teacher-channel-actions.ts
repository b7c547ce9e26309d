import type { MemberAttempts, MemberServerChecks, ServerMessage } from '../../../contracts/class-channel/messages.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import type { ClassDataReset } from '../controls/class-data-reset.ts';
import type { ClassStateControls } from '../controls/class-state-controls.ts';
import { memberAttempts } from '../board/member-attempts.ts';
import { memberServerChecks } from '../board/server-checks.ts';
import type { ControlOutcome, TeacherControls } from '../controls/teacher-controls.ts';

// The teacher's controls as the page sends them over the class channel
// (contracts/class-channel/PROTOCOL.md): each goes through the same controls as its HTTP route.
// What changed reaches the page as every watcher gets it (a new board, the class list); only a
// refusal, or what was asked for (a student's attempts, their server's checks), is the answer to the page itself.

const CONTROL_TYPES = new Set([
  'rename-member',
  'remove-member',
  'delete-class',
  'member-attempts',
  'member-server-checks',
  'end-class',
  'reopen-class',
  'notice',
  'timer',
  'reset-data',
  'assign',
  'freeze',
]);

export class TeacherChannelActions {
  constructor(
    private readonly store: ClassroomStore,
    private readonly members: TeacherControls,
    private readonly state: ClassStateControls,
    private readonly dataReset: ClassDataReset,
  ) {}

  handles(type: unknown): boolean {
    return typeof type === 'string' && CONTROL_TYPES.has(type);
  }

  /** The message for the page that sent it, if any. */
  async act(message: Record<string, unknown>): Promise<ServerMessage | null> {
    const outcome = await this.outcome(message);
    if (!outcome.ok) return { type: 'error', error: outcome.error };
    if (message.type === 'member-attempts') return { type: 'member-attempts', ...(outcome.value as MemberAttempts) };
    if (message.type === 'member-server-checks') return { type: 'member-server-checks', ...(outcome.value as MemberServerChecks) };
    return null;
  }

  private outcome(message: Record<string, unknown>): Promise<ControlOutcome<unknown>> {
    const { code } = message;
    switch (message.type) {
      case 'rename-member':
        return this.members.rename(code, message.memberId, message.name);
      case 'remove-member':
        return this.members.remove(code, message.memberId);
      case 'delete-class':
        return this.members.deleteClass(code);
      case 'member-attempts':
        return memberAttempts(this.store, code, message.memberId);
      case 'member-server-checks':
        return memberServerChecks(this.store, code, message.memberId, message.protocol);
      case 'end-class':
        return this.state.end(code);
      case 'reopen-class':
        return this.state.reopen(code);
      case 'notice':
        return this.state.notice(code, message.text);
      case 'timer':
        return this.state.timer(code, message.minutes);
      case 'reset-data':
        return this.dataReset.reset(code);
      case 'freeze':
        return this.state.freeze(code, message.on);
      case 'assign':
        return this.state.assign(code, message.lesson, message.exercise);
      default:
        throw new Error(`not a teacher's control: ${String(message.type)}`);
    }
  }
}
