import type { UserRole, UserStatus } from './types.ts';

// Every sandbox starts from exactly this data: lessons and tests quote these ids, names and
// timestamps, so change it only together with them (and with README.md in this folder).

export interface SeedUser {
  id: number;
  name: string;
  email: string;
  status: UserStatus;
  roles: UserRole[];
  metadata: Record<string, string>;
  phone: string | null;
  created_at: string;
}

export interface SeedPost {
  id: number;
  author_id: number;
  title: string;
  content: string;
  created_at: string;
}

export interface SeedComment {
  id: number;
  post_id: number;
  author_id: number;
  content: string;
  created_at: string;
}

export const SEED_USERS: readonly SeedUser[] = [
  {
    id: 1,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    status: 'active',
    roles: ['admin', 'author'],
    metadata: { team: 'engines' },
    phone: '+44 20 7946 0001',
    created_at: '2025-01-06T09:00:00.000Z',
  },
  {
    id: 2,
    name: 'Alan Turing',
    email: 'alan@example.com',
    status: 'active',
    roles: ['author', 'reviewer'],
    metadata: { team: 'codebreakers' },
    phone: '+44 20 7946 0002',
    created_at: '2025-01-13T10:30:00.000Z',
  },
  {
    id: 3,
    name: 'Grace Hopper',
    email: 'grace@example.com',
    status: 'active',
    roles: ['author', 'reviewer'],
    metadata: { team: 'compilers' },
    phone: null,
    created_at: '2025-01-20T08:15:00.000Z',
  },
  {
    id: 4,
    name: 'Андрей Ершов',
    email: 'ershov@example.com',
    status: 'active',
    roles: ['author'],
    metadata: { team: 'compilers', city: 'Новосибирск' },
    phone: '+7 383 330 0004',
    created_at: '2025-02-03T07:45:00.000Z',
  },
  {
    id: 5,
    name: 'Сергей Лебедев',
    email: 'lebedev@example.com',
    status: 'active',
    roles: ['admin', 'reviewer'],
    metadata: { team: 'hardware', city: 'Киев' },
    phone: null,
    created_at: '2025-02-10T11:00:00.000Z',
  },
  {
    id: 6,
    name: 'Екатерина Ющенко',
    email: 'yushchenko@example.com',
    status: 'inactive',
    roles: ['author'],
    metadata: { team: 'languages' },
    phone: '+380 44 555 0006',
    created_at: '2025-02-17T12:20:00.000Z',
  },
  {
    id: 7,
    name: 'Edsger Dijkstra',
    email: 'edsger@example.com',
    status: 'active',
    roles: ['reviewer'],
    metadata: {},
    phone: null,
    created_at: '2025-03-03T09:10:00.000Z',
  },
  {
    id: 8,
    name: 'Barbara Liskov',
    email: 'barbara@example.com',
    status: 'active',
    roles: ['author', 'reviewer'],
    metadata: { team: 'languages' },
    phone: '+1 617 555 0108',
    created_at: '2025-03-10T14:00:00.000Z',
  },
  {
    id: 9,
    name: 'Dennis Ritchie',
    email: 'dennis@example.com',
    status: 'inactive',
    roles: ['reader'],
    metadata: {},
    phone: null,
    created_at: '2025-03-17T16:30:00.000Z',
  },
  {
    id: 10,
    name: 'Margaret Hamilton',
    email: 'margaret@example.com',
    status: 'active',
    roles: ['author'],
    metadata: { team: 'apollo' },
    phone: '+1 617 555 0110',
    created_at: '2025-04-07T08:00:00.000Z',
  },
  {
    id: 11,
    name: 'Виктор Глушков',
    email: 'glushkov@example.com',
    status: 'active',
    roles: ['reader'],
    metadata: { team: 'cybernetics', city: 'Киев' },
    phone: null,
    created_at: '2025-04-14T10:00:00.000Z',
  },
  {
    id: 12,
    name: 'Mallory Spammer',
    email: 'mallory@example.com',
    status: 'banned',
    roles: ['reader'],
    metadata: { note: 'sent 10 000 links' },
    phone: null,
    created_at: '2025-05-05T23:59:00.000Z',
  },
];

export const SEED_POSTS: readonly SeedPost[] = [
  {
    id: 1,
    author_id: 1,
    title: 'Notes on the Analytical Engine',
    content: 'The engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.',
    created_at: '2025-02-01T09:00:00.000Z',
  },
  {
    id: 2,
    author_id: 2,
    title: 'On Computable Numbers',
    content: 'A number is computable if its decimal can be written down by a machine.',
    created_at: '2025-02-08T09:00:00.000Z',
  },
  {
    id: 3,
    author_id: 3,
    title: 'The first bug',
    content: 'A moth was found trapped in relay 70 of the Mark II. First actual case of bug being found.',
    created_at: '2025-02-15T09:00:00.000Z',
  },
  {
    id: 4,
    author_id: 1,
    title: 'Bernoulli numbers, step by step',
    content: 'Note G lists every operation the engine performs to compute the Bernoulli numbers.',
    created_at: '2025-02-22T09:00:00.000Z',
  },
  {
    id: 5,
    author_id: 4,
    title: 'Программирование — вторая грамотность',
    content: 'Умение программировать станет такой же частью культуры, как умение читать и писать.',
    created_at: '2025-03-01T09:00:00.000Z',
  },
  {
    id: 6,
    author_id: 2,
    title: 'Computing Machinery and Intelligence',
    content: 'I propose to consider the question: can machines think?',
    created_at: '2025-03-08T09:00:00.000Z',
  },
  {
    id: 7,
    author_id: 5,
    title: 'МЭСМ: первая ЭВМ континентальной Европы',
    content: 'Малая электронная счётная машина выполнила первый расчёт в 1951 году.',
    created_at: '2025-03-15T09:00:00.000Z',
  },
  {
    id: 8,
    author_id: 3,
    title: 'Nanoseconds you can hold',
    content: 'A nanosecond is a piece of wire about 30 centimetres long.',
    created_at: '2025-03-22T09:00:00.000Z',
  },
  {
    id: 9,
    author_id: 6,
    title: 'Адресный язык программирования',
    content: 'Косвенная адресация — указатели задолго до того, как их так назвали.',
    created_at: '2025-03-29T09:00:00.000Z',
  },
  {
    id: 10,
    author_id: 2,
    title: 'The chemical basis of morphogenesis',
    content: 'Reaction and diffusion can produce the stripes of a zebra.',
    created_at: '2025-04-05T09:00:00.000Z',
  },
  {
    id: 11,
    author_id: 7,
    title: 'Go To Statement Considered Harmful',
    content: 'The quality of programmers is a decreasing function of the density of go to statements.',
    created_at: '2025-04-12T09:00:00.000Z',
  },
  {
    id: 12,
    author_id: 8,
    title: 'Data abstraction and hierarchy',
    content: 'Objects of a subtype ought to behave the same as those of the supertype.',
    created_at: '2025-04-19T09:00:00.000Z',
  },
  {
    id: 13,
    author_id: 1,
    title: 'The engine cannot originate anything',
    content: 'It can do whatever we know how to order it to perform.',
    created_at: '2025-05-03T09:00:00.000Z',
  },
  {
    id: 14,
    author_id: 10,
    title: 'Priority displays on Apollo 11',
    content: 'The software shed low-priority jobs and kept landing the module.',
    created_at: '2025-05-17T09:00:00.000Z',
  },
  { id: 15, author_id: 3, title: 'It is easier to ask forgiveness', content: 'than it is to get permission.', created_at: '2025-06-07T09:00:00.000Z' },
  {
    id: 16,
    author_id: 4,
    title: 'Альфа-транслятор',
    content: 'Оптимизирующий транслятор с языка Альфа, расширения Алгола-60.',
    created_at: '2025-06-21T09:00:00.000Z',
  },
  {
    id: 17,
    author_id: 2,
    title: 'Checking a large routine',
    content: 'The programmer should make assertions about the various states the machine can reach.',
    created_at: '2025-07-05T09:00:00.000Z',
  },
  {
    id: 18,
    author_id: 8,
    title: 'CLU and abstract data types',
    content: 'A cluster implements a data abstraction: its operations and nothing else.',
    created_at: '2025-08-02T09:00:00.000Z',
  },
  {
    id: 19,
    author_id: 10,
    title: 'Software engineering, the name',
    content: 'I fought to give software the same legitimacy as other engineering disciplines.',
    created_at: '2025-09-13T09:00:00.000Z',
  },
  {
    id: 20,
    author_id: 11,
    title: 'ОГАС: сеть вычислительных центров',
    content: 'Общегосударственная автоматизированная система учёта и обработки информации.',
    created_at: '2025-10-25T09:00:00.000Z',
  },
];

export const SEED_COMMENTS: readonly SeedComment[] = [
  { id: 1, post_id: 1, author_id: 2, content: 'Can the engine think, though?', created_at: '2025-02-02T10:00:00.000Z' },
  { id: 2, post_id: 1, author_id: 3, content: 'A century ahead of the hardware.', created_at: '2025-02-03T11:00:00.000Z' },
  { id: 3, post_id: 2, author_id: 1, content: 'My engine would have loved this.', created_at: '2025-02-09T12:00:00.000Z' },
  { id: 4, post_id: 3, author_id: 7, content: 'Testing shows the presence, not the absence of bugs.', created_at: '2025-02-16T13:00:00.000Z' },
  { id: 5, post_id: 5, author_id: 5, content: 'Полностью согласен.', created_at: '2025-03-02T14:00:00.000Z' },
  { id: 6, post_id: 5, author_id: 11, content: 'И вычислительные сети тоже станут грамотностью.', created_at: '2025-03-03T15:00:00.000Z' },
  { id: 7, post_id: 6, author_id: 1, content: 'The engine has no pretensions to originate anything.', created_at: '2025-03-09T16:00:00.000Z' },
  { id: 8, post_id: 7, author_id: 4, content: 'Киев, 1951 — запомним.', created_at: '2025-03-16T09:30:00.000Z' },
  { id: 9, post_id: 11, author_id: 2, content: 'Strong words.', created_at: '2025-04-13T10:30:00.000Z' },
  { id: 10, post_id: 11, author_id: 8, content: 'Structure first, then everything else.', created_at: '2025-04-14T11:30:00.000Z' },
  { id: 11, post_id: 12, author_id: 7, content: 'A principle worth naming.', created_at: '2025-04-20T12:30:00.000Z' },
  { id: 12, post_id: 14, author_id: 3, content: 'Priority scheduling saved the landing.', created_at: '2025-05-18T13:30:00.000Z' },
  { id: 13, post_id: 9, author_id: 4, content: 'Указатели в 1955 году — это впечатляет.', created_at: '2025-03-30T14:30:00.000Z' },
  { id: 14, post_id: 17, author_id: 12, content: 'Click here for free assertions!!!', created_at: '2025-07-06T15:30:00.000Z' },
  { id: 15, post_id: 20, author_id: 5, content: 'Идея опередила своё время.', created_at: '2025-10-26T16:30:00.000Z' },
];
