// C3 in JavaScript: trace a recursive function by printing each call on the way in and
// each result on the way out, indented by the depth of the call.
function factorial(n, depth = 0) {
  const pad = "  ".repeat(depth);
  print(`${pad}-> factorial(${n})`);
  const result = n <= 1 ? 1 : n * factorial(n - 1, depth + 1);
  print(`${pad}<- factorial(${n}) = ${result}`);
  return result;
}
factorial(5)
