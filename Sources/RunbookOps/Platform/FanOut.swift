import Foundation
import RunbookCore

/// Runs work items on at most `width` threads of their own, for a step on many targets at once
/// (`exec --forks`, `audit --forks`). Threads rather than Dispatch's pool: each item blocks on
/// a shell or ssh round trip for as long as the step takes, and Dispatch runs only about as
/// many blocking items at once as there are cores.
enum FanOut {
    /// Calls `body` for each index of `0..<count`, taking them in order, until `stop` says to
    /// start no more; returns once every started item has finished.
    static func run(_ count: Int, width: Int, stop: () -> Bool = { false }, _ body: (Int) -> Void) {
        let threads = min(max(width, 1), count)
        guard threads > 1 else {
            for index in 0..<count where !stop() { body(index) }
            return
        }
        let next = NextIndex()
        // A step's work is shallow: small stacks let a thousand targets run at once.
        Platform.onThreads(threads, stackSize: 1 << 20) {
            while let index = next.take(below: count), !stop() { body(index) }
        }
    }

    private final class NextIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0

        func take(below count: Int) -> Int? {
            lock.withLock {
                guard next < count else { return nil }
                next += 1
                return next - 1
            }
        }
    }
}
