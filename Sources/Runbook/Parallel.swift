import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cores online: what parallel work is cut for.
let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Maps `0..<count` on all cores, in contiguous chunks, keeping the order of the results.
///
/// The parts of a large document are independent of each other (each is a run of whole
/// sections), so they are parsed, and their JSON written, in parallel. A single item stays on
/// the calling thread.
func parallelMap<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
    let cores = processorCount
    let chunks = min(cores * 4, count)
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
