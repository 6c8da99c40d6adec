import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps `0..<count` on all cores, in contiguous chunks, keeping the order of the results.
///
/// Code blocks are independent of each other (what links them, the inherited host and the
/// section, is resolved afterwards in one pass), so a large runbook is classified, and its
/// JSON written, in parallel. Small inputs stay on the calling thread.
func parallelMap<T>(_ count: Int, minimumChunk: Int = 512, _ transform: (Int) -> T) -> [T] {
    let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let chunks = min(cores * 4, count / minimumChunk)
    guard chunks > 1 else { return (0..<count).map(transform) }
    return withoutActuallyEscaping(transform) { transform in
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let base = buffer.baseAddress!
            nonisolated(unsafe) let work = transform
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                for index in start..<end {
                    (base + index).initialize(to: work(index))
                }
            }
            initialized = count
        }
    }
}
