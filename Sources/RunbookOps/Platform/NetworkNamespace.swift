import RunbookCore

#if canImport(Glibc)
    import Glibc

    /// Runs work inside a named network namespace without spawning a process.
    ///
    /// A thread that calls setns(2) with CLONE_NEWNET moves only itself; files it opens under
    /// /proc/sys/net and /proc/thread-self/net then belong to the namespace. The thread ends with
    /// the work, so the rest of the process never leaves the host's namespace.
    enum NetworkNamespace {
        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        /// Glibc declares setns(2) only under _GNU_SOURCE, which Swift's Glibc module does not
        /// define, so it is looked up at run time.
        private static let setns: (@convention(c) (Int32, Int32) -> Int32)? = {
            guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "setns") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        }()

        private static let cloneNewNet: Int32 = 0x4000_0000

        private final class Job {
            let name: String
            let body: () -> Void
            var failure: Failure?

            init(name: String, body: @escaping () -> Void) {
                self.name = name
                self.body = body
            }
        }

        /// Runs `body` on a thread that has joined the namespace `/run/netns/NAME`.
        static func run<T>(in name: String, _ body: () throws -> T) throws -> T {
            var result: Result<T, Error>? = nil
            try withoutActuallyEscaping(body) { body in
                let job = Job(name: name) { result = Result { try body() } }
                let context = Unmanaged.passRetained(job).toOpaque()
                var thread = pthread_t()
                let created = pthread_create(
                    &thread, nil,
                    { context in
                        let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                        let fd = open("/run/netns/\(job.name)", O_RDONLY | O_CLOEXEC)
                        guard fd >= 0 else {
                            job.failure = Failure(
                                description:
                                    "network namespace '\(job.name)' does not exist (/run/netns/\(job.name): \(String(cString: strerror(errno))))"
                            )
                            return nil
                        }
                        defer { close(fd) }
                        guard let setns = NetworkNamespace.setns, setns(fd, NetworkNamespace.cloneNewNet) == 0 else {
                            job.failure = Failure(
                                description:
                                    "cannot enter network namespace '\(job.name)': \(String(cString: strerror(errno)))")
                            return nil
                        }
                        job.body()
                        return nil
                    }, context)
                guard created == 0 else {
                    Unmanaged<Job>.fromOpaque(context).release()
                    throw Failure(description: "cannot start a thread: \(String(cString: strerror(created)))")
                }
                pthread_join(thread, nil)
                if let failure = job.failure { throw failure }
            }
            return try result!.get()
        }
    }
#endif
