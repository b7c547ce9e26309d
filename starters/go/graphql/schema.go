package main

// The schema (a part of Wirelab's, server/protocols/graphql/README.md), the store and the
// resolvers graph-gophers/graphql-go calls. UseFieldResolvers lets a struct field answer a field
// of the same name (user.Name for `name`); a method answers one that takes arguments (posts).

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	graphql "github.com/graph-gophers/graphql-go"
)

const schemaSDL = `
schema { query: Query mutation: Mutation subscription: Subscription }
enum ChangeKind { CREATED UPDATED DELETED }
type User { id: ID! name: String! email: String! posts(first: Int = 10): [Post!]! }
type Post { id: ID! title: String! content: String! author: User! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type UserConnection { nodes: [User!]! pageInfo: PageInfo! }
type UserChange { kind: ChangeKind! id: ID! user: User }
input CreateUserInput { name: String! email: String! }
input CreatePostInput { authorId: ID! title: String! content: String! }
type Query { user(id: ID!): User users(first: Int = 10): UserConnection! }
type Mutation {
  createUser(input: CreateUserInput!): User!
  deleteUser(id: ID!): ID!
  createPost(input: CreatePostInput!): Post!
}
type Subscription { userChanged: UserChange! }
`

const (
	maxDepth = 8   // a document nested deeper is refused before it runs
	firstMax = 100 // users(first:) and posts(first:) are 1..firstMax
	// a subscription this many events behind its client is ended (complete): the store never waits for a slow reader
	subscriptionBacklog = 64
)

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

type user struct {
	ID    graphql.ID
	Name  string
	Email string
	store *store
}

type post struct {
	ID       graphql.ID
	Title    string
	Content  string
	authorID graphql.ID
	store    *store
}

type userChange struct {
	Kind string
	ID   graphql.ID
	User *user
}

type pageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

type userConnection struct {
	Nodes    []*user
	PageInfo pageInfo
}

// store keeps users and posts in memory, and the channels of the live userChanged subscriptions.
type store struct {
	lock      sync.Mutex
	users     map[graphql.ID]*user
	posts     map[graphql.ID]*post
	nextID    int
	listeners map[chan *userChange]struct{}
}

func newStore() *store {
	return &store{users: map[graphql.ID]*user{}, posts: map[graphql.ID]*post{}, nextID: 1, listeners: map[chan *userChange]struct{}{}}
}

func (s *store) newID() graphql.ID {
	s.nextID++
	return graphql.ID(strconv.Itoa(s.nextID - 1))
}

// publish hands the change to every subscription; one whose channel is full is ended, not waited for. Called with the lock held.
func (s *store) publish(change *userChange) {
	for listener := range s.listeners {
		select {
		case listener <- change:
		default:
			delete(s.listeners, listener)
			close(listener)
		}
	}
}

// listen gives a channel of the changes from now until ctx ends (the subscription's context).
func (s *store) listen(ctx context.Context) <-chan *userChange {
	listener := make(chan *userChange, subscriptionBacklog)
	s.lock.Lock()
	s.listeners[listener] = struct{}{}
	s.lock.Unlock()
	go func() {
		<-ctx.Done()
		s.lock.Lock()
		defer s.lock.Unlock()
		if _, live := s.listeners[listener]; live {
			delete(s.listeners, listener)
			close(listener)
		}
	}()
	return listener
}

func byID(a, b graphql.ID) bool {
	left, _ := strconv.Atoi(string(a))
	right, _ := strconv.Atoi(string(b))
	return left < right
}

func (u *user) Posts(args struct{ First int32 }) ([]*post, error) {
	if args.First < 1 || args.First > firstMax {
		return nil, fmt.Errorf("first must be 1..%d", firstMax)
	}
	u.store.lock.Lock()
	defer u.store.lock.Unlock()
	found := []*post{}
	for _, each := range u.store.posts {
		if each.authorID == u.ID {
			found = append(found, each)
		}
	}
	sort.Slice(found, func(i, j int) bool { return byID(found[i].ID, found[j].ID) })
	if len(found) > int(args.First) {
		found = found[:args.First]
	}
	return found, nil
}

func (p *post) Author() (*user, error) {
	p.store.lock.Lock()
	defer p.store.lock.Unlock()
	if author, found := p.store.users[p.authorID]; found {
		return author, nil
	}
	return nil, fmt.Errorf("the author %s is gone", p.authorID)
}

// resolver is the root: its methods answer Query's, Mutation's and Subscription's fields.
type resolver struct{ store *store }

func (r *resolver) User(args struct{ ID graphql.ID }) *user {
	r.store.lock.Lock()
	defer r.store.lock.Unlock()
	return r.store.users[args.ID]
}

func (r *resolver) Users(args struct{ First int32 }) (*userConnection, error) {
	if args.First < 1 || args.First > firstMax {
		return nil, fmt.Errorf("first must be 1..%d", firstMax)
	}
	r.store.lock.Lock()
	defer r.store.lock.Unlock()
	everyone := make([]*user, 0, len(r.store.users))
	for _, each := range r.store.users {
		everyone = append(everyone, each)
	}
	sort.Slice(everyone, func(i, j int) bool { return byID(everyone[i].ID, everyone[j].ID) })
	nodes := everyone
	if len(nodes) > int(args.First) {
		nodes = nodes[:args.First]
	}
	return &userConnection{Nodes: nodes, PageInfo: pageInfo{HasNextPage: len(everyone) > len(nodes)}}, nil
}

func (r *resolver) CreateUser(args struct{ Input struct{ Name, Email string } }) (*user, error) {
	name := strings.TrimSpace(args.Input.Name)
	if name == "" || !emailPattern.MatchString(args.Input.Email) {
		return nil, fmt.Errorf("name must not be empty and email must be an address")
	}
	r.store.lock.Lock()
	defer r.store.lock.Unlock()
	for _, other := range r.store.users {
		if strings.EqualFold(other.Email, args.Input.Email) {
			return nil, fmt.Errorf("the email %s is taken", args.Input.Email)
		}
	}
	made := &user{ID: r.store.newID(), Name: name, Email: args.Input.Email, store: r.store}
	r.store.users[made.ID] = made
	r.store.publish(&userChange{Kind: "CREATED", ID: made.ID, User: made})
	return made, nil
}

func (r *resolver) DeleteUser(args struct{ ID graphql.ID }) (graphql.ID, error) {
	r.store.lock.Lock()
	defer r.store.lock.Unlock()
	if _, found := r.store.users[args.ID]; !found {
		return "", fmt.Errorf("no user %s", args.ID)
	}
	delete(r.store.users, args.ID)
	for id, each := range r.store.posts {
		if each.authorID == args.ID {
			delete(r.store.posts, id)
		}
	}
	r.store.publish(&userChange{Kind: "DELETED", ID: args.ID})
	return args.ID, nil
}

func (r *resolver) CreatePost(args struct {
	Input struct {
		AuthorID       graphql.ID
		Title, Content string
	}
}) (*post, error) {
	r.store.lock.Lock()
	defer r.store.lock.Unlock()
	if _, found := r.store.users[args.Input.AuthorID]; !found {
		return nil, fmt.Errorf("no user %s", args.Input.AuthorID)
	}
	made := &post{ID: r.store.newID(), Title: args.Input.Title, Content: args.Input.Content, authorID: args.Input.AuthorID, store: r.store}
	r.store.posts[made.ID] = made
	return made, nil
}

// UserChanged is called once per subscription, at its start: the channel is its events, until ctx ends.
func (r *resolver) UserChanged(ctx context.Context) <-chan *userChange {
	return r.store.listen(ctx)
}

// newSchema parses the schema onto the resolvers.
func newSchema(s *store) *graphql.Schema {
	// TODO [depth-limit]: refuse a document nested deeper than maxDepth before it runs (a deep query
	//   costs the server, not the client): graphql-go validates it with the option graphql.MaxDepth(maxDepth).
	// СДЕЛАЙТЕ: отклоняйте документ глубже maxDepth до выполнения: опция graphql.MaxDepth(maxDepth).
	return graphql.MustParseSchema(schemaSDL, &resolver{store: s}, graphql.UseFieldResolvers())
}
