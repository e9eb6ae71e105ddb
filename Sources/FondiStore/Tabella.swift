import Fondi
import Foundation
import Synchronization

/// What the store derives from an entity's description (`EntitaDescritta`, ADR 0022): the SQL of its table
/// (names only: every value is a bound parameter), its row reader, its bindings and its DDL on both engines.
/// The statements' text is built once per entity type and kept (`TestiSQL.di`).
package struct TestiSQL: Sendable {
    /// `SELECT <every column> FROM <table>`: append a WHERE.
    package let selezione: String
    /// ` WHERE k1 = ? AND k2 = ?`
    package let doveChiave: String
    package let inserimento: String
    /// nil when no field changes after creation (the entity is only ever INSERTed).
    package let aggiornamento: String?

    init<E: EntitaDescritta>(_: E.Type) {
        let t = E.tabella.nome
        let colonne = E.campi.map(\.nome).joined(separator: ", ")
        selezione = "SELECT \(colonne) FROM \(t)"
        doveChiave = " WHERE " + E.chiave.map { "\($0.nome) = ?" }.joined(separator: " AND ")
        inserimento = "INSERT INTO \(t) (\(colonne)) VALUES (" + Array(repeating: "?", count: E.campi.count).joined(separator: ", ") + ")"
        let variabili = E.variabili
        aggiornamento = variabili.isEmpty ? nil : "UPDATE \(t) SET " + variabili.map { "\($0.nome) = ?" }.joined(separator: ", ") + doveChiave
    }

    private static let cache = Mutex<[ObjectIdentifier: TestiSQL]>([:])

    package static func di<E: EntitaDescritta>(_ tipo: E.Type) -> TestiSQL {
        cache.withLock { c in
            if let t = c[ObjectIdentifier(tipo)] { return t }
            let t = TestiSQL(tipo)
            c[ObjectIdentifier(tipo)] = t
            return t
        }
    }
}

extension EntitaDescritta {
    package static var sql: TestiSQL { TestiSQL.di(Self.self) }

    /// Reads a stored row whose columns are `campi` in order. A value that cannot be read (a malformed date)
    /// is a corrupt file.
    package static func leggi(_ s: any Istruzione) throws(ErroreArchivio) -> Self {
        var l = LettoreRiga(s: s)
        do { return try Self(leggendo: &l) } catch {
            throw ErroreArchivio(codice: 11, messaggio: "il file del registro è danneggiato: \(error.motivo)", dettaglio: "data")
        }
    }

    /// Every field's value, for the INSERT.
    var valori: [ValoreSQL] { Self.campi.map { $0.valore(self).sql } }
    /// The key's values, for a WHERE.
    var valoriChiave: [ValoreSQL] { Self.chiave.map { $0.valore(self).sql } }
    /// The variable fields then the key, for the UPDATE.
    var valoriAggiornamento: [ValoreSQL] { Self.variabili.map { $0.valore(self).sql } + valoriChiave }
}

extension ValoreCampo {
    var sql: ValoreSQL {
        switch self {
        case let .testo(t): .testo(t)
        case let .intero(n): .intero(n)
        case let .opzionale(t): .opzionale(t)
        case let .data(d): .testo(d.description)
        }
    }
}

/// Reads a row's columns one after the other, as an entity's `init(leggendo:)` asks for them.
struct LettoreRiga: LettoreCampi {
    let s: any Istruzione
    var c = 0

    mutating func testo() -> String {
        defer { c += 1 }
        return s.testo(c)
    }
    mutating func intero() -> Int64 {
        defer { c += 1 }
        return s.intero(c)
    }
    mutating func opzionale() -> String? {
        defer { c += 1 }
        return s.testoOpzionale(c)
    }
    mutating func data() throws(CampoIllegibile) -> DataContabile {
        let t = testo()
        guard let d = DataContabile(testo: t) else { throw CampoIllegibile(motivo: "data non valida '\(t)'") }
        return d
    }
}

/// The dialect of a derived CREATE TABLE.
package enum Dialetto: Sendable {
    case sqlite
    /// Inside an Ambito's schema; text sorts with the "C" collation, as SQLite's byte order.
    case postgres(schema: String)

    var prefisso: String {
        switch self {
        case .sqlite: ""
        case let .postgres(s): s + "."
        }
    }

    func tipo(_ t: TipoColonna) -> String {
        switch (self, t) {
        case (.sqlite, .intero): "INTEGER"
        case (.sqlite, _): "TEXT"
        case (.postgres, .intero): "bigint"
        case (.postgres, _): "text COLLATE \"C\""
        }
    }
}

extension EntitaDescritta {
    /// The entity's table: a column per field (NOT NULL unless optional), the key, then the table's
    /// constraints (`TabellaStato.vincoli`). PostgreSQL creates every projection table from it; on SQLite a
    /// new table's migration does, and a test checks the frozen migrations of older tables against it.
    package static func creaTabella(_ d: Dialetto) -> String {
        let righe = campi.map { c in "\(c.nome) \(d.tipo(c.tipo))" + (c.tipo.facoltativo ? "" : " NOT NULL") }
            + ["PRIMARY KEY (" + chiave.map(\.nome).joined(separator: ", ") + ")"]
            + tabella.vincoli.map { $0.replacingOccurrences(of: "{s}", with: d.prefisso) }
        let corpo = "CREATE TABLE \(d.prefisso)\(tabella.nome) (\n    " + righe.joined(separator: ",\n    ") + "\n)"
        if case .sqlite = d { return corpo + " STRICT, WITHOUT ROWID" }
        return corpo
    }
}

extension TabellaStato {
    /// Each table's CHECK and FOREIGN KEY constraints, written once for both engines (`{s}` is the schema
    /// prefix): the database refuses a projection row that breaks an invariant, whatever code wrote it.
    package var vincoli: [String] {
        switch self {
        case .fonte:
            ["CHECK (vincolata IN (0, 1))", "CHECK (assegnato_centesimi BETWEEN 0 AND 10000000000000)",
             "CHECK (vincolato_centesimi BETWEEN 0 AND assegnato_centesimi)", "CHECK (accertato_centesimi >= 0)", "CHECK (riscosso_centesimi >= 0)"]
        case .servizio, .esercizio: []
        case .linea:
            ["FOREIGN KEY (fonte) REFERENCES {s}fonte (codice)", "FOREIGN KEY (servizio) REFERENCES {s}servizio (codice)",
             "CHECK (prenotato_centesimi >= 0 AND fpv_entrata_centesimi >= 0 AND fpv_spesa_centesimi >= 0)",
             """
             CHECK (programmato_centesimi >= impegnato_centesimi AND impegnato_centesimi >= liquidato_centesimi
                    AND liquidato_centesimi >= pagato_centesimi AND pagato_centesimi >= 0)
             """]
        case .impegno:
            ["CHECK (assunto_centesimi > 0 AND ridotto_centesimi >= 0 AND eliminato_centesimi >= 0 AND reimputato_centesimi >= 0)",
             """
             CHECK (assunto_centesimi - ridotto_centesimi - eliminato_centesimi >= liquidato_centesimi
                    AND liquidato_centesimi >= pagato_centesimi AND pagato_centesimi >= 0)
             """,
             "FOREIGN KEY (fonte, servizio, esercizio) REFERENCES {s}linea (fonte, servizio, esercizio)"]
        case .liquidazione:
            ["FOREIGN KEY (impegno) REFERENCES {s}impegno (numero)",
             "CHECK (importo_centesimi > 0 AND annullato_centesimi >= 0 AND pagato_centesimi >= 0)",
             "CHECK (importo_centesimi - annullato_centesimi >= pagato_centesimi)"]
        case .mandato:
            ["FOREIGN KEY (liquidazione) REFERENCES {s}liquidazione (numero)", "CHECK (importo_centesimi > 0)"]
        case .eliminazione:
            ["FOREIGN KEY (seq) REFERENCES {s}evento (seq)", "FOREIGN KEY (impegno) REFERENCES {s}impegno (numero)", "CHECK (importo_centesimi > 0)"]
        case .prenotazione:
            ["CHECK (importo_centesimi > 0 AND ridotto_centesimi >= 0 AND impegnato_centesimi >= 0)",
             "CHECK (importo_centesimi - ridotto_centesimi >= impegnato_centesimi)",
             "FOREIGN KEY (fonte, servizio, esercizio) REFERENCES {s}linea (fonte, servizio, esercizio)"]
        case .accertamento:
            ["FOREIGN KEY (fonte) REFERENCES {s}fonte (codice)",
             "CHECK (importo_centesimi > 0 AND ridotto_centesimi >= 0 AND riscosso_centesimi >= 0)",
             "CHECK (importo_centesimi - ridotto_centesimi >= riscosso_centesimi)"]
        case .riscossione:
            ["FOREIGN KEY (accertamento) REFERENCES {s}accertamento (numero)", "CHECK (importo_centesimi > 0)"]
        case .riduzioneAccertamento:
            ["FOREIGN KEY (seq) REFERENCES {s}evento (seq)", "FOREIGN KEY (accertamento) REFERENCES {s}accertamento (numero)",
             "CHECK (importo_centesimi > 0)"]
        case .scadenza:
            ["FOREIGN KEY (fonte) REFERENCES {s}fonte (codice)",
             "CHECK (tipo IN ('impegno', 'liquidazione', 'pagamento', 'rendicontazione'))",
             "CHECK ((tipo = 'rendicontazione') = (soglia = 0 AND base IS NULL AND destinatario IS NOT NULL AND copertura IS NOT NULL))",
             "CHECK (soglia BETWEEN 0 AND 100 AND prorogata IN (0, 1) AND revocata IN (0, 1))"]
        case .rendicontazione:
            ["FOREIGN KEY (seq) REFERENCES {s}evento (seq)", "CHECK (al <= data)"]
        }
    }
}
