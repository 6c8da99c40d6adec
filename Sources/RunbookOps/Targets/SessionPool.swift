import Foundation
import RunbookCore

/// One shell session per target, started on first use and again after one ended. Steps on
/// different targets run at once (`--forks`), each target's steps one after another: the map
/// is shared, a session is not.
final class SessionPool: @unchecked Sendable {
    private let environment: [String: String]
    private let sshConfig: String?
    private let lock = NSLock()
    private var sessions: [Target: ShellSession] = [:]
    /// `(` and the assignments that undo the runbook's variables, for `run`.
    private let ownEnvironment: String

    init(environment: [String: String], sshConfig: String? = nil) {
        self.environment = environment
        self.sshConfig = sshConfig
        let original = ProcessInfo.processInfo.environment
        var text = "("
        for name in environment.keys.sorted() {
            if let value = original[name] {
                text += " \(name)=\(ShellQuote.quote(value)); export \(name);"
            } else {
                text += " unset \(name);"
            }
        }
        ownEnvironment = text + "\n"
    }

    deinit {
        endAll()
    }

    /// The target's session, started when it has none; an ssh target that does not answer
    /// within `timeout` (a step's) is an error.
    func session(for target: Target, timeout: Double) throws -> ShellSession {
        if let session = lock.withLock({ sessions[target] }), session.isAlive { return session }
        // Started outside the lock: an ssh connection takes a round trip, and the other
        // targets' steps need not wait for it.
        let session = try ShellSession(
            target: target, environment: environment, sshConfig: sshConfig, timeout: timeout)
        lock.withLock { sessions[target] = session }
        return session
    }

    /// Runs one of runbook's own commands (an `ip route` change) on the target, in a subshell
    /// where the runbook's variables are as they were before it set them: its own commands
    /// never run with a document's `PATH` or `LD_PRELOAD`.
    func run(_ command: String, on target: Target, timeout: Double) throws -> ShellSession.Outcome {
        try session(for: target, timeout: timeout).run(ownEnvironment + command + "\n)", cwd: nil, timeout: timeout)
    }

    /// Direct access for local and netns targets; through the session for SSH.
    func state(for target: Target, timeout: Double) throws -> any TargetState {
        switch target {
        case .local, .netns: DirectState(target: target)
        case .ssh: RemoteState(session: try session(for: target, timeout: timeout), timeout: timeout)
        }
    }

    func endAll() {
        let ended = lock.withLock {
            defer { sessions.removeAll() }
            return Array(sessions.values)
        }
        for session in ended { session.end() }
    }
}
