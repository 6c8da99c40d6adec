import RunbookCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process with its stdin, stdout and stderr on pipes, in a process group of its own
/// (so that a timeout or an interruption kills everything it started, and its SIGPIPE at the
/// default): the one spawner of RunbookOps, which the shell sessions run on. It leaves the
/// process's signal dispositions alone: they are the program's business.
final class ChildProcess {
    struct SpawnFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// What one wait for output brought.
    struct Reading {
        var output: ArraySlice<UInt8> = []
        var errors: ArraySlice<UInt8> = []
        /// A stream reached its end: the process closed it, or ended.
        var ended = false
    }

    let pid: Int32
    private let input: Int32
    private let output: Int32
    private let errors: Int32
    private var isRunning = true

    /// Starts `argv` (found on PATH) with this process's environment.
    /// Held from the pipes' creation until the child has them and our copies of its ends are
    /// closed: a child that another thread starts meanwhile (a step on many targets at once)
    /// would otherwise inherit them, and a session whose stdout another child holds never sees
    /// its ssh exit.
    private static let spawning = Mutex(())

    init(_ argv: [String]) throws(SpawnFailure) {
        let started = ChildProcess.spawning.withLock { _ in Result { () throws(SpawnFailure) in try Self.spawn(argv) } }
        (pid, input, output, errors) = try started.get()
    }

    private static func spawn(_ argv: [String]) throws(SpawnFailure) -> (Int32, Int32, Int32, Int32) {
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw SpawnFailure(description: "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        // No end may leak into the shell (a shell holding its own stdin's write end never sees
        // end of input): the child gets its ends as 0, 1 and 2, which dup2 leaves open.
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
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

        let args = argv.map { strdup($0) } + [nil]
        defer { args.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], &actions, &attributes, args, environ)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw SpawnFailure(
                description: "cannot start \(argv.joined(separator: " ")): \(String(cString: strerror(status)))")
        }
        return (child, stdinPipe[1], stdoutPipe[0], stderrPipe[0])
    }

    deinit {
        end()
    }

    /// Writes everything to the child's stdin; false when it can no longer take input.
    /// A write to a child that died must fail with EPIPE, not kill the process, and a library
    /// may not change what the whole process does on SIGPIPE: the write runs with SIGPIPE
    /// blocked on this thread, and the SIGPIPE it raised is taken back before the mask is
    /// restored (one that was already pending stays for its owner).
    func write(_ bytes: [UInt8]) -> Bool {
        var pipeSignal = sigset_t(), previous = sigset_t(), pending = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        sigpending(&pending)
        let wasPending = sigismember(&pending, SIGPIPE) == 1
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        var brokenPipe = false
        defer {
            if brokenPipe, !wasPending {
                var now = timespec()
                while sigtimedwait(&pipeSignal, nil, &now) < 0 && errno == EINTR {}
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                brokenPipe = errno == EPIPE
                return false
            }
            offset += written
        }
        return true
    }

    /// Waits up to `milliseconds` for output on either stream and reads what is there. A
    /// signal ends the wait early, with nothing read.
    func read(waiting milliseconds: Int) -> Reading {
        var reading = Reading()
        for (position, bytes) in Self.readReady([output, errors], waiting: milliseconds) {
            guard let bytes else {
                reading.ended = true
                continue
            }
            if position == 0 { reading.output = bytes } else { reading.errors = bytes }
        }
        return reading
    }

    /// Waits up to `milliseconds` for any of `fds` (a negative one is left out) and reads what
    /// each ready one holds: its bytes (none when a signal interrupted the read), or nil at its
    /// end. A signal ends the wait early, with nothing read.
    private static func readReady(_ fds: [Int32], waiting milliseconds: Int) -> [(Int, ArraySlice<UInt8>?)] {
        var polled = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard poll(&polled, nfds_t(polled.count), Int32(milliseconds)) > 0 else { return [] }
        return polled.enumerated().compactMap { position, fd in
            guard fd.fd >= 0, fd.revents != 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd.fd, $0.baseAddress, $0.count) }
            if count > 0 { return (position, chunk[0..<count]) }
            return (position, count < 0 && errno == EINTR ? [] : nil)
        }
    }

    /// Lets it run to its end with no input, and returns what it printed and how it ended
    /// (its exit status, or 128 + N when signal N killed it). Killed after `timeout` seconds,
    /// or at once when runbook is interrupted.
    /// `interruptible: false` is for what runs because of an interruption (killing a step's
    /// remote processes): it must not be killed by it.
    func finish(timeout: Double, interruptible: Bool = true) -> (output: [UInt8], errors: [UInt8], status: Int32) {
        close(input)
        isRunning = false
        let slot = interruptible ? Interruption.register(group: pid) : nil
        defer { Interruption.release(slot) }
        var collected: [[UInt8]] = [[], []]
        var open = [output, errors]
        let deadline = ChildProcess.monotonicSeconds() + timeout
        while open.contains(where: { $0 >= 0 }) {
            if ChildProcess.monotonicSeconds() > deadline || interruptible && Interruption.signal != nil {
                kill(-pid, SIGKILL)
            }
            for (position, bytes) in Self.readReady(open, waiting: 1000) {
                if let bytes {
                    collected[position] += bytes
                } else {
                    close(open[position])
                    open[position] = -1
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let signal = status & 0x7F
        return (collected[0], collected[1], signal == 0 ? (status >> 8) & 0xFF : 128 + signal)
    }

    /// Closes its stdin, kills its process group and waits for it.
    func end() {
        guard isRunning else { return }
        isRunning = false
        close(input)
        var status: Int32 = 0
        // A shell exits at end of input; a step still running holds it up only until killed.
        kill(-pid, SIGKILL)
        waitpid(pid, &status, 0)
        close(output)
        close(errors)
    }

    /// Seconds on a clock that only moves forward, for deadlines.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// A directory only this user can enter (mkdtemp, 0700), removed with what is in it when
    /// runbook exits.
    static func privateDirectory(prefix: String) throws(SpawnFailure) -> String {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SpawnFailure(description: "cannot create a private directory: \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        removedAtExit.withLock { $0.append(path) }
        if removedAtExit.withLock({ $0.count }) == 1 {
            atexit {
                for path in ChildProcess.removedAtExit.withLock({ $0 }) {
                    for name in FileIO.names(in: path) ?? [] { unlink(path + "/" + name) }
                    rmdir(path)
                }
            }
        }
        return path
    }

    /// For the exit handler, which can capture nothing.
    private static let removedAtExit = Mutex<[String]>([])
}
