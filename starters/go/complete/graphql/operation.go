package main

// graphql-go parses a document into its internal packages only, so it cannot be asked which kind of
// operation a request runs; GET needs to know (a mutation over GET is 405). operationKind reads it
// off a document graphql-go has already validated: the keyword that starts the chosen operation.

import "strings"

// operationKind is "query", "mutation" or "subscription": the kind of the operation `name` (or of
// the only one when name is ""). A document must have been validated first.
func operationKind(document, name string) string {
	depth := 0          // inside { } or ( ): not a definition's start
	expectStart := true // the next word at depth 0 begins a definition
	kind := ""
	for i := 0; i < len(document); i++ {
		switch c := document[i]; {
		case c == '#': // a comment, to the end of the line
			for i < len(document) && document[i] != '\n' && document[i] != '\r' {
				i++
			}
		case strings.HasPrefix(document[i:], `"""`): // a block string; \""" does not end it
			end := strings.Index(strings.ReplaceAll(document[i+3:], `\"""`, "xxxx"), `"""`)
			if end < 0 {
				return ""
			}
			i += 3 + end + 2
		case c == '"': // a string; \" does not end it
			for i++; i < len(document) && document[i] != '"'; i++ {
				if document[i] == '\\' {
					i++
				}
			}
		case c == '{' || c == '(' || c == '[':
			if depth == 0 && c == '{' && expectStart { // the shorthand { ... }: an anonymous query
				if name == "" {
					return "query"
				}
				expectStart = false
			}
			depth++
		case c == '}' || c == ')' || c == ']':
			depth--
			if depth == 0 && c == '}' {
				expectStart = true
			}
		case depth == 0 && (c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'):
			start := i
			for i+1 < len(document) && isNameChar(document[i+1]) {
				i++
			}
			word := document[start : i+1]
			if expectStart {
				kind, expectStart = word, false
				if name == "" && kind != "fragment" {
					return kind
				}
			} else if kind != "" && word == name && kind != "fragment" && document[start-1] != '@' {
				return kind
			} else {
				kind = "" // past the operation's name: whatever follows is not it
			}
		}
	}
	return ""
}

func isNameChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
