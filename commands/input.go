package commands

// MaxCommandBytes is the longest command line the bot takes, in bytes, on
// every platform: a pasted letter subject is long, a 1 MB line is a mistake.
// A longer line gets TooLong's answer and runs nothing; the console goes on
// with the next line.
const MaxCommandBytes = 64 << 10

// TooLong is the answer to a command line of n bytes, over MaxCommandBytes.
func TooLong(n int, l Lang) Reply {
	if l == "" {
		l = Romanian
	}
	return invalid(l.pick(
		"Comanda are %d octeți, peste limita de %d; nu s-a rulat. Scurtați textul sau trimiteți-l ca fișier.",
		"The command has %d bytes, over the limit of %d; it was not run. Shorten the text or send it as a file.", n, MaxCommandBytes),
		`inregistreaza de="Ion Popescu" subiect="Groapă pe str. Horea"`, l)
}
