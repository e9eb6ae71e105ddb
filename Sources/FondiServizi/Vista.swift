import Fondi
import FondiStore

/// Resolves `--al` / `--fino-a` into the state to report on (DOMAIN §6). Without them the stored
/// projections answer directly; with `--fino-a` alone the nearest snapshot plus the tail; with `--al` the
/// events dated up to that day, folded from the nearest snapshot before the first one dated after it.
public enum Vista {
    public static func stato(_ registro: some Deposito, al: DataContabile?, fino: Int64?, impegni: Bool,
                             avviso: (String) -> Void) throws -> Stato {
        if let fino { try controllaFino(fino, registro) }
        return try registro.vista(al: al, fino: fino, impegni: impegni, avviso: avviso)
    }

    public static func controllaFino(_ fino: Int64, _ registro: some Deposito) throws {
        let ultimo = try registro.numeroEventi()
        guard fino <= ultimo else {
            throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(ultimo))")
        }
    }

    /// The filters of a report; a fonte or servizio that is not registered is refused (rule 1), rather
    /// than answered with an empty table that looks like "nothing there".
    public static func filtri(_ v: Valori, stato: Stato) throws -> Filtri {
        let fonte = try v.codiceOpzionale("fonte"), servizio = try v.codiceOpzionale("servizio")
        if let fonte, stato.fonti[fonte.testo] == nil { throw Rifiuto(regola: "4.1", "fonte '\(fonte)' sconosciuta") }
        if let servizio, stato.servizi[servizio.testo] == nil { throw Rifiuto(regola: "4.1", "servizio '\(servizio)' sconosciuto") }
        return Filtri(fonte: fonte?.testo, servizio: servizio?.testo, esercizio: try v.annoOpzionale("esercizio"))
    }

    /// The events of `storia` for `soggetto`, dated up to `al` and recorded up to `fino`, in seq order (CLI and
    /// pages alike). An impegno's are read through its index (ADR 0016), any other subject's by scanning the
    /// chain; the same `FiltroStoria` decides in both cases, over a superset of the subject's events.
    public static func eventiStoria(_ registro: some Deposito, _ soggetto: FiltroStoria.Soggetto, al: DataContabile?, fino: Int64?,
                                    _ corpo: (EventoRegistrato) throws -> Void) throws {
        var filtro = FiltroStoria(soggetto)
        func scegli(_ e: EventoRegistrato) throws {
            if let al, e.data > al { return }
            if filtro.accetta(e.evento) { try corpo(e) }
        }
        if case let .impegno(numero, origini) = soggetto {
            for e in try registro.eventiImpegni([numero] + origini, fino: fino) { try scegli(e) }
        } else {
            try registro.leggiEventi(da: 1, fino: fino, scegli)
        }
    }

    static let soggettiStoria = ["impegno", "prenotazione", "accertamento", "fonte", "servizio"]

    /// `storia` takes at most one subject; each is a code (checked before the ledger is opened).
    public static func controllaSoggettoStoria(_ v: Valori) throws {
        let dati = try soggettiStoria.filter { try v.codiceOpzionale($0) != nil }
        guard dati.count <= 1 else {
            throw ErroreValore("indica al più uno tra " + Lettura.elenco(soggettiStoria.map(v.campo), congiunzione: "e"))
        }
    }

    /// The subject of `storia` (CLI and pages alike): an unknown code is refused (rule 1); an impegno brings
    /// the impegni it was reimputed from, its trail back (DOMAIN §9.4).
    public static func soggettoStoria(_ v: Valori, _ registro: some Deposito) throws -> FiltroStoria.Soggetto {
        // Existence by key, one row each: loading every projection here cost the API a fifth of its time.
        if let f = try v.codiceOpzionale("fonte") {
            guard try registro.fonte(f.testo) != nil else { throw Rifiuto(regola: "4.1", "fonte '\(f)' sconosciuta") }
            return .fonte(f.testo)
        }
        if let s = try v.codiceOpzionale("servizio") {
            guard try registro.esisteServizio(s.testo) else { throw Rifiuto(regola: "4.1", "servizio '\(s)' sconosciuto") }
            return .servizio(s.testo)
        }
        if let i = try v.codiceOpzionale("impegno") {
            guard try registro.esisteImpegno(i.testo) else { throw Rifiuto(regola: "4.1", "impegno '\(i)' sconosciuto") }
            return .impegno(i.testo, origini: try registro.origini(impegno: i.testo))
        }
        if let p = try v.codiceOpzionale("prenotazione") {
            guard try registro.prenotazione(p.testo) != nil else { throw Rifiuto(regola: "4.1", "prenotazione '\(p)' sconosciuta") }
            return .prenotazione(p.testo)
        }
        if let a = try v.codiceOpzionale("accertamento") {
            guard try registro.accertamento(a.testo) != nil else { throw Rifiuto(regola: "4.1", "accertamento '\(a)' sconosciuto") }
            return .accertamento(a.testo)
        }
        return .tutto
    }
}
