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

-- SIGKILL (9) or SIGSTOP (19) sent to a process whose loss blinds or locks out the host: init,
-- logging and audit daemons, sshd, the container runtime. Matched by the target's command name,
-- which its owner chooses: keep the list to what this host runs.
CREATE RULE kill_critical SEVERITY critical LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, target_pid, target_comm, signal FROM signals
  WHERE signo IN (9, 19)
    AND target_comm IN ('systemd', 'init', 'systemd-journal', 'systemd-logind', 'sshd', 'auditd',
                        'rsyslogd', 'syslog-ng', 'containerd', 'dockerd', 'kubelet');

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

-- A new TCP listening socket (listen(2) moves it to LISTEN): a backdoor or a bind shell. Seen in
-- the listening process, with the address and port it listens on.
CREATE RULE listening_socket SEVERITY medium LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, uid, comm, family, saddr, sport FROM tcp_state WHERE newstate = 'LISTEN';

-- A program run from memory (memfd_create, then exec of that file): it never touches the disk.
-- The kernel names the file: fexecve (execveat with an empty path) of a memfd makes the comm
-- 'memfd:NAME' (6.14 and later) and the filename /dev/fd/N; an exec by path names /dev/fd/N or
-- /proc/<pid>/fd/N (comm N). Any exec through an fd path is therefore caught, except
-- /proc/self/exe (runc, browsers re-run themselves so) and systemd's own executor (systemd 255
-- and later starts each service through it by fd; its comm is cut to 15 characters).
CREATE RULE memfd_exec SEVERITY high LIMIT 10 PER comm EVERY 1m AS
  SELECT pid, ppid, uid, comm, filename FROM exec
  WHERE comm LIKE 'memfd:%'
     OR (filename LIKE '/dev/fd/%' AND comm <> 'systemd-executo')
     OR (filename LIKE '/proc/%' AND filename <> '/proc/self/exe');
