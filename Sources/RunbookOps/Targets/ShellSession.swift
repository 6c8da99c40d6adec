import Foundation
import RunbookCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One long-lived `/bin/sh` on a target, fed the steps' commands one by one.
///
/// A process per step costs about a millisecond of fork and exec; a runbook of a thousand
/// steps would spend its time there. Instead each command is written to the shell's stdin in a
/// frame, and the shell prints a sentinel with the exit status on stdout and on stderr after
/// it, so that both streams can be cut apart without closing them.
final class ShellSession {
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
        /// The step's directory did not exist on the target; the command ran where the
        /// session was.
        var missingDirectory: Bool
    }

    enum Failure: Error, CustomStringConvertible {
        case start(String)
        case timedOut(seconds: Double)
        case sessionEnded(stdout: String, stderr: String)

        var description: String {
            switch self {
            case .start(let reason): reason
            case .timedOut(let seconds): "timed out after \(seconds) s; its processes were killed"
            case .sessionEnded(_, let stderr):
                "the shell ended (a syntax error, or exit/exec in the command)"
                    + (stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").last ?? "")")
                    + "; a new shell is started for the next step"
            }
        }
    }

    let target: Target
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let errors: Int32
    private var pendingOutput = OutputBuffer()
    private var pendingErrors = OutputBuffer()
    private(set) var isAlive = true
    private var counter = 0
    /// `ssh ... -- DESTINATION`, for a second command over the same connection.
    private var sshCommand: [String] = []
    /// The process group of the remote shell, which the step's processes share (a
    /// non-interactive shell has no job control): what an interruption kills on the target.
    private var remoteGroup: String?

    /// `sshConfig` is passed to ssh as `-F FILE` (keys, known hosts, jump hosts).
    init(target: Target, environment: [String: String], sshConfig: String? = nil) throws(Failure) {
        self.target = target
        // A write to a shell that died must fail with EPIPE, not kill runbook.
        signal(SIGPIPE, SIG_IGN)
        let argv: [String]
        switch target {
        case .local: argv = ["/bin/sh"]
        case .netns(let name): argv = ["ip", "netns", "exec", name, "/bin/sh"]
        case .ssh(let user, let host, let port):
            sshCommand =
                [
                    "ssh", "-T", "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", "ControlPersist=no",
                    "-o", "ControlPath=\(try ShellSession.controlDirectory())/%C",
                ]
                + (sshConfig.map { ["-F", $0] } ?? []) + (port.map { ["-p", String($0)] } ?? [])
                + ["--", "\(user.map { "\($0)@" } ?? "")\(host)"]
            argv = sshCommand + ["/bin/sh"]
        }
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw .start("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        // Our ends must not leak into the shell (a shell holding its own stdin's write end
        // never sees end of input).
        for fd in [stdinPipe[1], stdoutPipe[0], stderrPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so that a timeout kills the step's children too.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var variables = [String: String]()
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            index += 1
        }
        // The runbook's variables are not given to the process started here (`ip netns exec`,
        // `ssh`): they are exported in the shell below, so that `LD_PRELOAD` or `PATH` from a
        // document never reaches a program runbook itself runs.
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let args = argv.map { strdup($0) } + [nil]
        defer {
            envp.forEach { free($0) }
            args.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], &actions, &attributes, args, envp)
        Glibc.close(stdinPipe[0])
        Glibc.close(stdoutPipe[1])
        Glibc.close(stderrPipe[1])
        guard status == 0 else {
            Glibc.close(stdinPipe[1])
            Glibc.close(stdoutPipe[0])
            Glibc.close(stderrPipe[0])
            throw .start("cannot start \(argv.joined(separator: " ")): \(String(cString: strerror(status)))")
        }
        pid = child
        input = stdinPipe[1]
        output = stdoutPipe[0]
        errors = stderrPipe[0]
        if case .ssh = target {
            // Field 5 of /proc/PID/stat is the process group. The first command over the
            // connection also says whether there is one.
            do {
                let group = try run("cut -d ' ' -f 5 /proc/$$/stat", cwd: nil, timeout: 30).stdout.filter(\.isNumber)
                remoteGroup = group.isEmpty ? nil : group
            } catch .sessionEnded(_, let stderr) {
                let reason = stderr.split(separator: "\n").last.map(String.init) ?? "ssh ended"
                throw .start("ssh to \(target) failed: \(reason)")
            } catch {
                remoteGroup = nil
            }
        }
        if !environment.isEmpty {
            let exports = environment.keys.sorted().map { "export \($0)=\(ShellQuote.quote(environment[$0]!))\n" }
                .joined()
            _ = writeAll(Array(exports.utf8))
        }
    }

    /// The directory of this process's ssh ControlMaster sockets: made once per runbook
    /// process (mkdtemp, 0700) and removed when it exits, and the masters end with their
    /// sessions (ControlPersist=no). A directory shared across runs let a run meant for one
    /// machine reuse a master that another run, ssh config or namespace had opened to another.
    private static func controlDirectory() throws(Failure) -> String {
        switch controlDirectoryMade {
        case .success(let path): return path
        case .failure(let failure): throw failure
        }
    }

    private static let controlDirectoryMade: Result<String, Failure> = {
        var template = Array("/tmp/runbook-ssh-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            return .failure(.start("cannot create a directory for ssh's sockets: \(String(cString: strerror(errno)))"))
        }
        let path = String(cString: made)
        controlDirectoryPath.withLock { $0 = path }
        atexit {
            guard let path = ShellSession.controlDirectoryPath.withLock({ $0 }) else { return }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                unlink(path + "/" + name)
            }
            rmdir(path)
        }
        return .success(path)
    }()

    /// For the exit handler, which can capture nothing.
    private static let controlDirectoryPath = Mutex<String?>(nil)

    deinit {
        end()
    }

    /// Kills the remote shell's process group (the step's processes with it) through the
    /// connection's ControlMaster, before the connection itself is cut: killing only the local
    /// ssh would leave the remote command running.
    private func killRemoteCommand() {
        guard let remoteGroup else { return }
        let killer = Process()
        killer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        killer.arguments = sshCommand + ["kill -KILL -- -\(remoteGroup)"]
        killer.standardInput = FileHandle.nullDevice
        killer.standardOutput = FileHandle.nullDevice
        killer.standardError = FileHandle.nullDevice
        guard (try? killer.run()) != nil else { return }
        for _ in 0..<100 where killer.isRunning { Platform.sleep(milliseconds: 50) }
        if killer.isRunning { killer.terminate() }
    }

    func end() {
        guard isAlive else { return }
        isAlive = false
        Glibc.close(input)
        var status: Int32 = 0
        // The shell exits at end of input; a step still running holds it up only until killed.
        kill(-pid, SIGKILL)
        waitpid(pid, &status, 0)
        Glibc.close(output)
        Glibc.close(errors)
    }

    /// Runs one command in `cwd` (when given), with no stdin, and returns what it printed.
    func run(_ command: String, cwd: String?, timeout: Double) throws(Failure) -> Outcome {
        guard isAlive else { throw .sessionEnded(stdout: "", stderr: "") }
        counter += 1
        let marker = "__RUNBOOK_\(pid)_\(counter)"
        var frame = "__rb_cwd=0\n"
        if let cwd { frame += "cd -- \(ShellQuote.path(cwd)) 2>/dev/null || __rb_cwd=1\n" }
        frame += "{ \(command)\n} </dev/null\n"
        frame += "printf '\\n%s %d %d\\n' '\(marker)' \"$?\" \"$__rb_cwd\"\n"
        frame += "printf '\\n%s\\n' '\(marker)' >&2\n"
        // A local shell's group is killed from the signal handler at once; an ssh session is
        // left to `collect`, which kills the remote command first, over the same connection.
        if sshCommand.isEmpty { Interruption.runningGroup.store(pid, ordering: .releasing) }
        defer { Interruption.runningGroup.store(0, ordering: .releasing) }
        guard writeAll(Array(frame.utf8)) else {
            let (stdout, stderr) = drain()
            end()
            throw .sessionEnded(stdout: stdout, stderr: stderr)
        }
        return try collect(marker: Array("\n\(marker)".utf8), timeout: timeout)
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads both streams until each shows the marker, or the deadline passes.
    private func collect(marker: [UInt8], timeout: Double) throws(Failure) -> Outcome {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let finish = Double(deadline.tv_sec) + Double(deadline.tv_nsec) / 1e9 + timeout
        var stdoutDone: (body: [UInt8], status: Int32, missing: Bool)? = nil
        var stderrDone: [UInt8]? = nil
        while stdoutDone == nil || stderrDone == nil {
            if stdoutDone == nil, let (body, line) = pendingOutput.take(through: marker) {
                let fields = line.split(separator: " ")
                stdoutDone = (body, Int32(fields.first ?? "") ?? -1, fields.last == "1")
                continue
            }
            if stderrDone == nil, let (body, _) = pendingErrors.take(through: marker) {
                stderrDone = body
                continue
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let remaining = finish - (Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
            if remaining <= 0 {
                end()
                throw .timedOut(seconds: timeout)
            }
            var fds = [
                pollfd(fd: output, events: Int16(POLLIN), revents: 0),
                pollfd(fd: errors, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, Int32(min(remaining * 1000, 1000)) + 1)
            if Interruption.signal != nil, !sshCommand.isEmpty {
                killRemoteCommand()
                let (stdout, stderr) = drain()
                end()
                throw .sessionEnded(stdout: stdout, stderr: stderr)
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            var ended = false
            for (position, fd) in fds.enumerated() where fd.revents != 0 {
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = chunk.withUnsafeMutableBytes { read(fd.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if position == 0 {
                        pendingOutput.append(chunk[0..<count])
                    } else {
                        pendingErrors.append(chunk[0..<count])
                    }
                } else if count == 0 {
                    ended = true
                }
            }
            if ended {
                let (stdout, stderr) = drain()
                end()
                throw .sessionEnded(stdout: stdout, stderr: stderr)
            }
        }
        return Outcome(
            stdout: String(decoding: stdoutDone!.body, as: UTF8.self),
            stderr: String(decoding: stderrDone!, as: UTF8.self),
            status: stdoutDone!.status, missingDirectory: stdoutDone!.missing)
    }

    private func drain() -> (String, String) {
        (pendingOutput.drain(), pendingErrors.drain())
    }

}
