// A13 in JavaScript: write three lines, seek back and read, and count the raw calls that
// reach the disk with the default buffer and with none.
const path = "seek_demo.txt";
withOpen(path, "w", (f) => {
  for (const word of ["first", "second", "third"]) f.write(`${word} line\n`);
});

const f = open(path, "r");
print("line 1:", JSON.stringify(f.readline()), "now at", f.tell());
f.seek(0);                      // back to the start
print("again: ", JSON.stringify(f.readline()));
f.seek(0, 2);                   // whence 2: from the end
print("the end is at", f.tell(), "bytes; read there:", JSON.stringify(f.read()));
f.close();

// The same 100 small writes, buffered and unbuffered: the lesson is the raw-call count.
function rawWrites(buffering) {
  const out = open("raw_calls.bin", "wb", { buffering });
  const piece = new TextEncoder().encode("0123456789");
  for (let i = 0; i < 100; i++) out.write(piece);
  out.close();
  return out.counts.rawWrites;
}
table(["buffering", "raw writes for 100 writes of 10 bytes"], [
  ["default (8 KB buffer)", rawWrites(-1)],
  ["0 (no buffer)", rawWrites(0)],
]);
