import type { Board, ClassSummary } from '../../../contracts/class-channel/messages.ts';
import { mergePresence, type Presence } from '../relay/classroom-fanout.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';

// The board a teacher reads: the class's stored facts (members, results, their own servers' latest
// checks, state, history) with who
// is online now — on this instance and, with several instances, on the others.

export interface BoardSources {
  store: ClassroomStore;
  /** this instance's students with a channel open */
  presenceHere(code: string): Presence;
  /** the other instances' (with app.scale) */
  presenceElsewhere?(code: string): Promise<Presence | undefined>;
}

/** The class's board now; null for a class that does not exist. */
export async function classBoard({ store, presenceHere, presenceElsewhere }: BoardSources, code: string): Promise<Board | null> {
  const [info, status] = await Promise.all([store.classByCode(code), store.classStatus(code)]);
  if (!info || !status) return null;
  const [members, results, others, history, servers] = await Promise.all([
    store.members(code),
    store.resultsOfClass(code),
    presenceElsewhere?.(code),
    store.actions(code),
    store.serverCellsOfClass(code),
  ]);
  const online = presenceHere(code);
  for (const [member, flags] of others ?? []) mergePresence(online, member, flags);
  return {
    code,
    title: info.title,
    now: Date.now(),
    status,
    members: members.map((member) => ({
      id: member.id,
      name: member.name,
      rejoinCode: member.rejoinCode,
      joinedMs: member.joinedMs,
      lastActiveMs: member.lastActiveMs,
      online: online.has(member.id),
      following: online.get(member.id)?.following ?? false,
      watching: online.get(member.id)?.watching ?? false,
      place: online.get(member.id)?.place ?? null,
      waits: online.get(member.id)?.waits ?? null,
      results: results.get(member.id) ?? [],
      servers: servers.get(member.id) ?? [],
    })),
    history,
  };
}

/** Every class with its count of members and whether it has ended: the teacher's list. */
export async function classSummaries(store: ClassroomStore): Promise<ClassSummary[]> {
  const classes = await store.classes();
  const [counts, states] = await Promise.all([
    Promise.all(classes.map((info) => store.memberCount(info.code))),
    Promise.all(classes.map((info) => store.classStatus(info.code))),
  ]);
  return classes.map((info, index) => ({ ...info, members: counts[index], endedMs: states[index]?.endedMs ?? null }));
}
