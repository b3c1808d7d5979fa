package scenarios

// Limits on what the loader reads. A scenario file is input from anyone:
// without them a 50 MB file takes gigabytes of memory and a minute to
// refuse, an extends of /dev/zero grows memory without end, and a file of
// misspelt keys prints millions of lines. Each limit is far above what a
// real scenario needs (the shipped baseline is 40 KB, with 17 events and
// an extends chain of one file), and going over one is an error that names
// the file and the limit.
const (
	// MaxFileSize is the size in bytes of the largest scenario, sweep or
	// checks file read: 4 MiB. Parsing YAML takes some 70 bytes of memory
	// for each byte of the file, so a file at the limit takes about 300 MB.
	MaxFileSize = 4 << 20

	// MaxEvents is the most events a scenario may have, counting every
	// file of its extends chain.
	MaxEvents = 10000

	// MaxExtendsDepth is the most files an extends chain may have, the
	// scenario itself included.
	MaxExtendsDepth = 32

	// MaxErrors is the most errors an ErrorList prints; a last line counts
	// the rest ("and 12 more errors"). The list itself keeps them all.
	MaxErrors = 50
)
