import Dispatch

/// Concatenates `parts` on all cores. Elements are moved, not copied: copying a hundred
/// thousand steps means retaining and later releasing every string in them. Each moved-from
/// slot gets `placeholder`, which should hold no references, so that releasing the parts
/// costs nothing.
package func parallelJoin<T>(_ parts: consuming [[T]], placeholder: T) -> [T] {
    if parts.count == 1, let only = parts.popLast() { return only }
    var offsets = [0]
    for index in parts.indices { offsets.append(offsets[offsets.count - 1] + parts[index].count) }
    let total = offsets[offsets.count - 1]
    let starts = offsets
    return parts.withUnsafeMutableBufferPointer { parts in
        [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            nonisolated(unsafe) let source = parts
            nonisolated(unsafe) let base = buffer.baseAddress
            nonisolated(unsafe) let placeholder = placeholder
            DispatchQueue.concurrentPerform(iterations: source.count) { part in
                var elements: [T] = []
                swap(&elements, &source[part])
                elements.withUnsafeMutableBufferPointer { elements in
                    guard let source = elements.baseAddress else { return }
                    let target = base! + starts[part]
                    target.moveInitialize(from: source, count: elements.count)
                    source.initialize(repeating: placeholder, count: elements.count)
                }
            }
            initialized = total
        }
    }
}

/// Maps `0..<count` on all cores, in contiguous chunks, keeping the order of the results.
///
/// The parts of a large document are independent of each other (each is a run of whole
/// sections), so they are parsed, and their JSON written, in parallel. A single item stays on
/// the calling thread.
package func parallelMap<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
    let cores = Platform.processorCount
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
