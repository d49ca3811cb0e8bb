// B6 in JavaScript: a logger whose file rotates when it would grow past maxBytes, keeping
// two old files (app_js.log.1 is the newer, app_js.log.2 the older).
for (const name of os.listdir(".")) {
  if (name.startsWith("app_js.log")) os.remove(name);
}
const log = logging.getLogger("course.rotating");
log.setLevel(logging.INFO);
log.propagate = false;          // these records stay out of the root logger's handlers
const handler = new logging.RotatingFileHandler("app_js.log", { maxBytes: 120, backupCount: 2 });
handler.setFormatter(new logging.Formatter("%(levelname)s %(message)s"));
log.addHandler(handler);

for (let n = 1; n <= 16; n++) log.info("order %d shipped", n);
handler.close();
log.removeHandler(handler);

const files = os.listdir(".").filter((name) => name.startsWith("app_js.log")).sort();
table(["file", "bytes", "first line"], files.map((name) => [
  name, os.getsize(name), withOpen(name, "r", (f) => f.readline().trim()),
]));
print("orders 1 to 5 are gone: backupCount keeps two old files, and the oldest is deleted");
