/// Every bound on input, each with the reason it exists. A limit exceeded by input is refused (exit 1);
/// a limit exceeded by our own code is a precondition.
public enum Limiti {
    /// Codes (fonte, servizio, impegno, liquidazione, mandato) are identifiers typed by people and printed
    /// in tables; 64 characters fit any real numbering scheme (`2023/145`, `PNRR-M5C2-1.1.1`).
    public static let codiceLunghezzaMax = 64
    /// Free text (descrizione, creditore, oggetto, motivo, atto, documento): a sentence, not a document.
    public static let testoLunghezzaMax = 500
    /// Esercizi and annualità: calendar years a public office can plausibly book. Outside is a typo.
    public static let annoMin = 1900
    public static let annoMax = 2999
    /// Commands in one `importa` file: bounds the transaction a single file can hold open.
    public static let righeImportaMax = 2_000_000
    /// Prepared statements kept per connection: the fixed queries number about a hundred; texts that vary
    /// with their input's shape must not make the cache grow without end.
    public static let istruzioniInCache = 256
}
