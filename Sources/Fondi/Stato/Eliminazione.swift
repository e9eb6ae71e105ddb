/// One eliminazione di residuo, kept with its date: a closing computes residui *as of 31/12/N*, and an
/// eliminazione dated after that day must not count (DOMAIN §5).
public struct Eliminazione: Equatable, Sendable {
    public let seq: Int64
    public let impegno: String
    public let data: DataContabile
    public let importo: Int64
    public init(seq: Int64, impegno: String, data: DataContabile, importo: Int64) {
        self.seq = seq
        self.impegno = impegno
        self.data = data
        self.importo = importo
    }
}
