import { useEffect, useMemo, useState } from 'react';
import { useLang } from '../kit/lang-context.ts';
import { navigate } from '../kit/router.tsx';
import { downloadBytes } from '../inspector/download-file.ts';
import type { CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { formatCode } from './class-protocol.ts';
import type { ClassStateActions } from './class-state-panel.tsx';
import type { MemberControls } from './member-actions.tsx';
import { forgetTeacherKey, startLeading, TeacherChannel, useTeacherChannel, type TeacherState } from './teacher-class.ts';

// The teacher's desk's live state (teacher-page.tsx draws it): the channel and what it last said,
// the class open, and the panels opened from the board — each asked again whenever what it shows
// changes on the live board.

export interface TeacherDesk {
  state: TeacherState;
  selected: string | null;
  select(code: string | null): void;
  /** when the board last came: the server's clock is board.now then */
  boardAt: number;
  memberControls: MemberControls | undefined;
  stateActions: ClassStateActions | undefined;
  createClass(title: string): void;
  exportAs(format: 'csv' | 'json'): Promise<void>;
  lead(): void;
  confirmDelete: boolean;
  setConfirmDelete(on: boolean): void;
  deleteSelected(title: string): void;
  /** the title of the class just deleted, said where it was */
  deletedTitle: string | null;
  /** the student whose attempts are open */
  openMember: number | null;
  setOpenMember(memberId: number | null): void;
  closeAttempts(): void;
  /** the student's "check my server" run that is open */
  openServer: { memberId: number; protocol: CheckedProtocol } | null;
  openServerChecks(memberId: number, protocol: CheckedProtocol): void;
  closeServerChecks(): void;
}

export function useTeacherDesk(teacherKey: string): TeacherDesk {
  const lang = useLang();
  const channel = useMemo(() => new TeacherChannel(teacherKey), [teacherKey]);
  const state = useTeacherChannel(channel);
  const [selected, select] = useState<string | null>(() => new URLSearchParams(window.location.search).get('class'));
  const [boardAt, setBoardAt] = useState(() => Date.now());
  const [deletedTitle, setDeletedTitle] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    channel.start();
    return () => channel.stop();
  }, [channel]);
  useEffect(() => channel.watch(selected), [channel, selected]);
  useEffect(() => setBoardAt(Date.now()), [state.board]);
  useEffect(() => {
    if (state.created) select(state.created);
  }, [state.created]);
  useEffect(() => {
    if (!state.deleted) return;
    setConfirmDelete(false);
    select((current) => (current === state.deleted ? null : current));
  }, [state.deleted]);
  useEffect(() => {
    if (state.status === 'refused') forgetTeacherKey();
  }, [state.status]);

  const memberControls = useMemo(
    () =>
      selected
        ? {
            rename: (memberId: number, name: string) => channel.renameMember(selected, memberId, name),
            remove: (memberId: number) => channel.removeMember(selected, memberId),
          }
        : undefined,
    [channel, selected],
  );
  const stateActions = useMemo(
    () =>
      selected
        ? {
            end: () => channel.endClass(selected),
            reopen: () => channel.reopenClass(selected),
            notice: (text: string | null) => channel.notice(selected, text),
            timer: (minutes: number | null) => channel.timer(selected, minutes),
            resetData: () => channel.resetData(selected),
            freeze: (on: boolean) => channel.freeze(selected, on),
            assign: (lesson: string | null, exercise: string | null) => channel.assign(selected, lesson, exercise),
          }
        : undefined,
    [channel, selected],
  );
  const panels = useOpenPanels(channel, state, selected);

  return {
    state,
    selected,
    select,
    boardAt,
    memberControls,
    stateActions,
    createClass: (title) => channel.createClass(title),
    exportAs: async (format) => {
      if (!selected) return;
      const text = await channel.export(selected, format);
      downloadBytes(new TextEncoder().encode(text), `wirelab-class-${selected}.${format}`, format === 'csv' ? 'text/csv' : 'application/json');
    },
    lead: () => {
      if (!selected) return;
      startLeading(selected);
      navigate(`/${lang}/`);
    },
    confirmDelete,
    setConfirmDelete,
    deleteSelected: (title) => {
      if (!selected) return;
      setDeletedTitle(title || formatCode(selected));
      channel.deleteClass(selected);
    },
    deletedTitle,
    ...panels,
  };
}

/** The attempts and the "check my server" run opened from the board, asked again when the board shows a change of theirs. */
function useOpenPanels(channel: TeacherChannel, state: TeacherState, selected: string | null) {
  const [openMember, setOpenMember] = useState<number | null>(null);
  const [openServer, setOpenServer] = useState<{ memberId: number; protocol: CheckedProtocol } | null>(null);
  const members = state.board?.members;
  const attemptsOf = members?.find((member) => member.id === openMember);
  const serverOf = members?.find((member) => member.id === openServer?.memberId);
  const attemptsShown = attemptsOf ? JSON.stringify(attemptsOf.results) : '';
  const serverShown = serverOf ? JSON.stringify(serverOf.servers.find((cell) => cell.protocol === openServer?.protocol) ?? null) : '';
  useEffect(() => {
    setOpenMember(null);
    setOpenServer(null);
  }, [selected]);
  // a student removed while a panel of theirs is open: it closes
  useEffect(() => {
    if (openMember !== null && state.board && !attemptsOf) setOpenMember(null);
    if (openServer !== null && state.board && !serverOf) setOpenServer(null);
  }, [openMember, openServer, state.board, attemptsOf, serverOf]);
  useEffect(() => {
    if (selected && openMember !== null) channel.memberAttempts(selected, openMember);
  }, [channel, selected, openMember, attemptsShown]);
  useEffect(() => {
    if (selected && openServer) channel.memberServerChecks(selected, openServer.memberId, openServer.protocol);
  }, [channel, selected, openServer, serverShown]);
  return {
    openMember,
    setOpenMember,
    closeAttempts: () => {
      setOpenMember(null);
      channel.closeAttempts();
    },
    openServer,
    openServerChecks: (memberId: number, protocol: CheckedProtocol) => setOpenServer({ memberId, protocol }),
    closeServerChecks: () => {
      setOpenServer(null);
      channel.closeServerChecks();
    },
  };
}
