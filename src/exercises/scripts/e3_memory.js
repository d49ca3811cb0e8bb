// E3 in JavaScript: what the kernel holds before, while and after a file of 100,000
// squares exists. The file's bytes live in the kernel's memory until it is removed.
const before = memory();
const out = open("squares.txt", "w");
for (let i = 0; i < 100_000; i++) out.write(`${i * i}\n`);
out.close();
const written = memory();
os.remove("squares.txt");
const after = memory();
const kb = (bytes) => (bytes / 1024).toFixed(1);
table(["moment", "held (KB)", "peak so far (KB)"], [
  ["before", kb(before.held), kb(before.peak)],
  ["100,000 squares written", kb(written.held), kb(written.peak)],
  ["file removed", kb(after.held), kb(after.peak)],
]);
print(`the file held about ${kb(written.held - after.held)} KB until it was removed`);
