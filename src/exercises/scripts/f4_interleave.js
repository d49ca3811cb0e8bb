// F4 in JavaScript: two threads, one printing numbers and one letters. They take turns
// only where one of them waits (at each sleep), as CPython's threads take turns at the GIL.
async function numbers() {
  for (let i = 1; i <= 5; i++) {
    print("number", i);
    await sleep(20);
  }
}
async function letters() {
  for (const letter of "abcde") {
    print("letter", letter);
    await sleep(30);
  }
}
const a = spawn(numbers, "numbers");
const b = spawn(letters, "letters");
await join(a);
await join(b);
timeline("numbers and letters")
