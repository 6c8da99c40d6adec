import Foundation
import RunbookCore

/// One shell session per target, started on first use and again after one ended.
final class SessionPool {
    private let environment: [String: String]
    private let sshConfig: String?
    private var sessions: [Target: ShellSession] = [:]

    init(environment: [String: String], sshConfig: String? = nil) {
        self.environment = environment
        self.sshConfig = sshConfig
    }

    deinit {
        endAll()
    }

    func session(for target: Target) throws -> ShellSession {
        if let session = sessions[target], session.isAlive { return session }
        let session = try ShellSession(target: target, environment: environment, sshConfig: sshConfig)
        sessions[target] = session
        return session
    }

    /// Runs one of runbook's own commands (an `ip route` change) on the target, in a subshell
    /// where the runbook's variables are as they were before it set them: its own commands
    /// never run with a document's `PATH` or `LD_PRELOAD`.
    func run(_ command: String, on target: Target, timeout: Double) throws -> ShellSession.Outcome {
        try session(for: target).run(ownEnvironment + command + "\n)", cwd: nil, timeout: timeout)
    }

    /// `(` and the assignments that undo the runbook's variables, for `run`.
    private lazy var ownEnvironment: String = {
        let original = ProcessInfo.processInfo.environment
        var text = "("
        for name in environment.keys.sorted() {
            if let value = original[name] {
                text += " \(name)=\(ShellQuote.quote(value)); export \(name);"
            } else {
                text += " unset \(name);"
            }
        }
        return text + "\n"
    }()

    /// Direct access for local and netns targets; through the session for SSH.
    func state(for target: Target, timeout: Double) throws -> any TargetState {
        switch target {
        case .local, .netns: DirectState(target: target)
        case .ssh: RemoteState(session: try session(for: target), timeout: timeout)
        }
    }

    func endAll() {
        for session in sessions.values { session.end() }
        sessions.removeAll()
    }
}
