/** The GraphQL schema of the demo domain (SDL); resolvers.ts implements it over server/domain. */
export const SCHEMA = /* GraphQL */ `
"""
Timestamps are ISO 8601 strings in UTC, e.g. "2025-02-01T09:00:00.000Z".
"""
type Query {
  "One user; null when there is none with this id."
  user(id: ID!): User
  "Users, oldest first unless orderBy says otherwise; keyset pagination with first/after."
  users(filter: UserFilter, orderBy: [UserOrder!], first: Int = 10, after: String): UserConnection!
  "One post; null when there is none with this id."
  post(id: ID!): Post
  "Posts, optionally of one author."
  posts(authorId: ID, search: String, first: Int = 10, after: String): PostConnection!
}

type Mutation {
  createUser(input: CreateUserInput!): User!
  "A partial update: absent fields stay; a metadata entry with value null is removed; phone: null removes the phone."
  updateUser(id: ID!, input: UpdateUserInput!): User!
  "Deletes the user with their posts and comments; answers the deleted id."
  deleteUser(id: ID!): ID!
  createPost(input: CreatePostInput!): Post!
  addComment(postId: ID!, input: AddCommentInput!): Comment!
}

type Subscription {
  "Every post created from now on in your sandbox (by any protocol), optionally of one author."
  postAdded(authorId: ID): Post!
  "Every user created, updated or deleted from now on in your sandbox."
  userChanged: UserChange!
}

enum UserStatus {
  ACTIVE
  INACTIVE
  BANNED
}

enum Role {
  ADMIN
  AUTHOR
  REVIEWER
  READER
}

enum UserSortField {
  ID
  NAME
  EMAIL
  CREATED_AT
}

enum SortDirection {
  ASC
  DESC
}

enum ChangeKind {
  CREATED
  UPDATED
  DELETED
}

type User {
  id: ID!
  name: String!
  email: String!
  status: UserStatus!
  roles: [Role!]!
  metadata: [MetadataEntry!]!
  phone: String
  createdAt: String!
  updatedAt: String!
  "Bumped on every change."
  version: Int!
  "The user's first posts, oldest first."
  posts(first: Int = 10): [Post!]!
}

type Post {
  id: ID!
  title: String!
  content: String!
  createdAt: String!
  updatedAt: String!
  version: Int!
  author: User!
  "The post's first comments, oldest first."
  comments(first: Int = 10): [Comment!]!
}

type Comment {
  id: ID!
  content: String!
  createdAt: String!
  post: Post!
  author: User!
}

type MetadataEntry {
  key: String!
  value: String!
}

type PageInfo {
  hasNextPage: Boolean!
  "Pass it as after: to get the next page; null on the last page."
  endCursor: String
}

type UserConnection {
  nodes: [User!]!
  pageInfo: PageInfo!
}

type PostConnection {
  nodes: [Post!]!
  pageInfo: PageInfo!
}

type UserChange {
  kind: ChangeKind!
  id: ID!
  "The user after the change; null when deleted."
  user: User
}

input UserFilter {
  status: UserStatus
  role: Role
  "Name or email contains this, case-insensitively (Cyrillic too)."
  search: String
}

input UserOrder {
  field: UserSortField!
  direction: SortDirection = ASC
}

input MetadataEntryInput {
  key: String!
  "null removes the entry (updateUser only)."
  value: String
}

input CreateUserInput {
  name: String!
  email: String!
  status: UserStatus = ACTIVE
  roles: [Role!] = [READER]
  metadata: [MetadataEntryInput!]
  phone: String
}

input UpdateUserInput {
  name: String
  email: String
  status: UserStatus
  roles: [Role!]
  metadata: [MetadataEntryInput!]
  phone: String
}

input CreatePostInput {
  authorId: ID!
  title: String!
  content: String!
}

input AddCommentInput {
  authorId: ID!
  content: String!
}
`;
