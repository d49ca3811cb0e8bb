// D9 in JavaScript: a custom error class with a default message, raised with and without
// one, caught by its class; then an error of the notebook's files, caught by its name.
class InsufficientFundsError extends Error {
  constructor(message = "the balance is too low for this withdrawal") {
    super(message);
    this.name = "InsufficientFundsError";
  }
}

function withdraw(balance, amount) {
  if (amount > balance) throw new InsufficientFundsError(`cannot take ${amount} from ${balance}`);
  if (amount < 0) throw new InsufficientFundsError();
  return balance - amount;
}

for (const amount of [30, 500, -5]) {
  try {
    print(`withdraw ${amount}: the balance is now ${withdraw(100, amount)}`);
  } catch (e) {
    if (!(e instanceof InsufficientFundsError)) throw e;
    print(`withdraw ${amount}: ${e.name}: ${e.message}`);
  }
}

try {
  open("no_such_file.txt", "r");
} catch (e) {
  print(`${e.name} (errno ${e.errno}): ${e.message}`);
}
