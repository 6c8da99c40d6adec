import Foundation
import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

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
        onThreads(threads, stackSize: 1 << 20) {
            while let index = next.take(below: count), !stop() { body(index) }
        }
    }

    /// Runs `body` on `count` threads, each with a `stackSize`-byte stack, and returns once all
    /// have ended: joined, so nothing of `body` outlives the call (Foundation's threads cannot
    /// be joined). Fewer threads when the system allows no more; on none, `body` runs here.
    private static func onThreads(_ count: Int, stackSize: Int, _ body: () -> Void) {
        withoutActuallyEscaping(body) { body in
            var threads: [pthread_t] = []
            do {
                let work = Work(body)
                for _ in 0..<count {
                    var attributes = pthread_attr_t()
                    pthread_attr_init(&attributes)
                    pthread_attr_setstacksize(&attributes, stackSize)
                    defer { pthread_attr_destroy(&attributes) }
                    var thread = pthread_t()
                    let context = Unmanaged.passRetained(work).toOpaque()
                    let created = pthread_create(
                        &thread, &attributes,
                        { context in
                            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
                            return nil
                        }, context)
                    guard created == 0 else {
                        Unmanaged<Work>.fromOpaque(context).release()
                        break
                    }
                    threads.append(thread)
                }
                if threads.isEmpty { work.body() }
            }
            for thread in threads { pthread_join(thread, nil) }
        }
    }

    /// What each thread is handed.
    private final class Work {
        let body: () -> Void

        init(_ body: @escaping () -> Void) {
            self.body = body
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
