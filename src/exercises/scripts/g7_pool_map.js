// G7 in JavaScript: a pool of worker processes maps a function over a list. The function
// travels to each worker as its source, so it may use only its arguments.
function square(n) {
  return n * n;
}
const pool = Pool(2);
const squares = await pool.map(square, [1, 2, 3, 4, 5, 6, 7, 8]);
print("squares:", JSON.stringify(squares));

function where(n) {
  return [n, currentProcess().name];
}
const places = await pool.map(where, [1, 2, 3, 4], 1);
table(["item", "ran in"], places);
pool.close();
await pool.join();
