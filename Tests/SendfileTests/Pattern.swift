/// Test data whose every byte depends on its position, with a period (251, a prime) that no
/// buffer size divides: a duplicated, lost or shifted byte changes what the receiver sees.
func pattern(count: Int, seed: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8((($0 &+ seed) &* 7) % 251) }
}
