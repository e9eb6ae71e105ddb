/// Where a scadenza stands on a view day (DOMAIN §10.1).
public enum StatoScadenza: String, Sendable, CaseIterable {
    case rispettata, mancata
    case aRischio = "a rischio"
    case inCorso = "in corso"
}

/// One scadenza evaluated on a view day T: what it asks, what was reached by min(T, termine), what is missing.
/// `obiettivo`, `raggiunto` and `mancante` are nil for a rendicontazione.
public struct ValutazioneScadenza: Equatable, Sendable {
    public let scadenza: Scadenza
    public let obiettivo: Int64?, raggiunto: Int64?, mancante: Int64?
    public let giorni: Int
    public let stato: StatoScadenza

    /// The days before the termine under which an unmet scadenza is `a rischio`, unless `--entro` says otherwise.
    public static let entroPredefinito = 60

    public static let colonne = ["numero", "fonte", "tipo", "termine", "soglia", "base", "obiettivo", "raggiunto", "mancante", "giorni",
                                 "stato", "prorogata", "atto"]

    public var celle: [Cella] {
        let s = scadenza
        return [.testo(s.numero), .testo(s.fonte), .testo(s.tipo.rawValue), .data(s.termine), s.soglia.map { .intero(Int64($0)) } ?? .nullo,
                s.base.map { .testo($0.rawValue) } ?? .nullo, obiettivo.map(Cella.importo) ?? .nullo, raggiunto.map(Cella.importo) ?? .nullo,
                mancante.map(Cella.importo) ?? .nullo, .intero(Int64(giorni)), .testo(stato.rawValue), .booleano(s.prorogata),
                s.atto.map(Cella.testo) ?? .nullo]
    }

    /// Evaluates `s` on day `oggi` (T): `cifre` is the fonte's prospetto row in the view of min(T, termine),
    /// `vista` the state of the view of T (its rendicontazioni are those dated up to T).
    public init(_ s: Scadenza, oggi: DataContabile, entro: Int, cifre: RigaRendicontazione?, vista: Stato) {
        scadenza = s
        giorni = oggi.giorni(fino: s.termine)
        let soddisfatta: Bool
        if s.tipo == .rendicontazione {
            (obiettivo, raggiunto, mancante) = (nil, nil, nil)
            soddisfatta = vista.rendicontazioni.values.contains { r in
                r.destinatario == s.destinatario && r.riga(s.fonte) != nil && s.copertura.map { r.al >= $0 } ?? false && r.data <= s.termine
            }
        } else {
            let base = s.base == .accertato ? cifre?.accertato ?? 0 : cifre?.assegnato ?? 0
            // ⌈soglia × base / 100⌉ in cents: base ≤ 10^13 and soglia ≤ 100, so the product fits an Int64.
            let o = (Int64(s.soglia ?? 100) * base + 99) / 100
            let r: Int64 = switch s.tipo {
            case .impegno: cifre?.impegnato ?? 0
            case .liquidazione: cifre?.liquidato ?? 0
            case .pagamento, .rendicontazione: cifre?.pagato ?? 0
            }
            (obiettivo, raggiunto, mancante) = (o, r, max(0, o - r))
            soddisfatta = r >= o
        }
        stato = soddisfatta ? .rispettata : oggi > s.termine ? .mancata : giorni <= entro ? .aRischio : .inCorso
    }
}

extension Stato {
    /// The scadenze a view lists (fixed and not revoked by its events), of one fonte when given, by termine then numero.
    public func scadenzeElencate(fonte: String?) -> [Scadenza] {
        scadenze.values.filter { !$0.revocata && (fonte == nil || $0.fonte == fonte) }.sorted { ($0.termine, $0.numero) < ($1.termine, $1.numero) }
    }
}
