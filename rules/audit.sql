-- bpfql's security audit pack: `bpfql watch rules/audit.sql` (add --output, --syslog or
-- --webhook to send the alerts on; --cgroup DIR to watch one container). Each rule alerts at most
-- 10 times a minute per program (comm); the rest are counted in lines of kind "suppressed".
-- Edit freely and send bpfql SIGHUP: only the rules you changed restart.

-- A program run from a directory anyone can write to: a dropped payload.
CREATE RULE exec_from_world_writable SEVERITY high LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, ppid, uid, comm, filename FROM exec
  WHERE filename LIKE '/tmp/%' OR filename LIKE '/var/tmp/%' OR filename LIKE '/dev/shm/%';

-- PTRACE_ATTACH (16) or PTRACE_SEIZE (0x4206) by a program that is not a known debugger:
-- reading another process's memory (credentials, keys).
CREATE RULE ptrace_attach SEVERITY high LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, tp_pid AS target_pid, request FROM tracepoint.syscalls.sys_enter_ptrace
  WHERE request IN (16, 16902) AND comm NOT IN ('gdb', 'lldb', 'strace', 'ltrace', 'perf');

-- SIGKILL (9) or SIGSTOP (19) to pid 1, as the sender sees it: the host's init, or a
-- container's. kill(2) is watched, not the delivery: the kernel ignores these for an init, but
-- the attempt is the alert.
CREATE RULE kill_init SEVERITY critical LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, sig FROM tracepoint.syscalls.sys_enter_kill
  WHERE tp_pid = 1 AND sig IN (9, 19);

-- Changes of user, group or capabilities (whether they succeed or not: ret says).
CREATE RULE credential_change SEVERITY high LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, syscall, ret FROM syscalls
  WHERE syscall IN ('setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setfsuid', 'setfsgid', 'capset');

-- openat(2) for writing (O_WRONLY or O_RDWR) under /etc, /root/.ssh or /usr/bin. The path is
-- as the program gave it: a relative path or another mount of those directories is not seen.
CREATE RULE write_sensitive SEVERITY high LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, filename, flags, ret FROM open
  WHERE (flags & 3) <> 0
    AND (filename LIKE '/etc/%' OR filename LIKE '/root/.ssh/%' OR filename LIKE '/usr/bin/%');

-- A kernel module load, seen when it is tried (it may fail: ret says).
CREATE RULE module_load SEVERITY critical LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, syscall, ret FROM syscalls WHERE syscall IN ('init_module', 'finit_module');

-- An anonymous in-memory file: the first step of running a program that never touches the disk.
CREATE RULE memfd_create SEVERITY medium LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, ret FROM syscalls WHERE syscall = 'memfd_create';
