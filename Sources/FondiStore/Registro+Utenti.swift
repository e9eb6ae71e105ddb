import Crypto
import Fondi
import HummingbirdBcrypt
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What a signed-in person or a program may do (DOMAIN §8).
public enum Ruolo: String, CaseIterable, Sendable, Comparable {
    case consultazione, operatore, responsabile

    var livello: Int {
        switch self {
        case .consultazione: 0
        case .operatore: 1
        case .responsabile: 2
        }
    }
    public static func < (l: Ruolo, r: Ruolo) -> Bool { l.livello < r.livello }
}

/// A user of `fondi serve`: kept in the ledger file, never in the event chain (ADR 0015).
public struct Utente: Sendable, Equatable {
    public let nome: String
    public let ruolo: Ruolo
    public let attivo: Bool
    public let creatoIl: String
}

/// A signed-in session: its user and the CSRF token every form of the session must carry.
public struct Sessione: Sendable, Equatable {
    public let utente: Utente
    public let csrf: String

    public init(utente: Utente, csrf: String) {
        self.utente = utente
        self.csrf = csrf
    }
}

/// Users, API tokens, sessions and sign-in failures on the ledger file (DOMAIN §8, ADR 0015). Secrets are
/// never stored: passwords as bcrypt hashes, tokens and session ids as SHA-256 hashes.
extension Registro {
    public static let passwordMinima = 12
    /// A session ends after this long without a request.
    public static let sessioneInattivaSecondi: Int64 = 30 * 60
    /// Failed sign-ins per name before the name is locked; the lock doubles with each further failure.
    public static let tentativiPrimaDelBlocco: Int64 = 5
    static let bloccoMassimoSecondi: Int64 = 15 * 60
    /// bcrypt's cost: 2^12 rounds, about a quarter of a second here; a guess costs an attacker as much.
    static let costoBcrypt: UInt8 = 12

    public static func secondiOra() -> Int64 { Int64(time(nil)) }

    /// 32 random bytes as base64url without padding: 43 characters of `A-Za-z0-9_-`.
    public static func segreto() -> String {
        var g = SystemRandomNumberGenerator()
        let byte = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        let alfabeto = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < byte.count {
            let a = UInt32(byte[i]), b = i + 1 < byte.count ? UInt32(byte[i + 1]) : 0, c = i + 2 < byte.count ? UInt32(byte[i + 2]) : 0
            let n = a << 16 | b << 8 | c
            out.append(alfabeto[Int(n >> 18 & 63)]); out.append(alfabeto[Int(n >> 12 & 63)])
            if i + 1 < byte.count { out.append(alfabeto[Int(n >> 6 & 63)]) }
            if i + 2 < byte.count { out.append(alfabeto[Int(n & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func impronta(_ segreto: String) -> [UInt8] { Array(SHA256.hash(data: Array(segreto.utf8))) }

    static func controllaPassword(_ password: String) throws(Rifiuto) {
        guard password.count >= passwordMinima else {
            throw Rifiuto(regola: "8", "la password deve avere almeno \(passwordMinima) caratteri (ne ha \(password.count))")
        }
        guard password.count <= 200, !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Rifiuto(regola: "8", "la password non può contenere caratteri di controllo né superare 200 caratteri")
        }
    }

    /// One write transaction on the users' tables.
    func inScrittura<T>(_ corpo: () throws -> T) throws -> T {
        try connessione.iniziaScrittura()
        do {
            let r = try corpo()
            try connessione.conferma()
            return r
        } catch {
            connessione.annulla()
            throw error
        }
    }

    func annota(_ nome: String, _ azione: String, _ dettaglio: String?, da: String) throws {
        try connessione.istruzione("INSERT INTO utente_registro (nome, azione, dettaglio, da, il) VALUES (?, ?, ?, ?, ?)")
            .esegui([.testo(nome), .testo(azione), .opzionale(dettaglio), .testo(da), .testo(orologio())])
    }

    static func utente(_ s: any Istruzione) -> Utente {
        Utente(nome: s.testo(0), ruolo: Ruolo(rawValue: s.testo(1)) ?? .consultazione, attivo: s.intero(2) == 1, creatoIl: s.testo(3))
    }

    public func utente(_ nome: String) throws -> Utente? {
        try connessione.istruzione("SELECT nome, ruolo, attivo, creato_il FROM utente WHERE nome = ?").righe([.testo(nome)], mappa: Self.utente).first
    }

    public func utenti() throws -> [Utente] {
        try connessione.istruzione("SELECT nome, ruolo, attivo, creato_il FROM utente ORDER BY nome").righe(mappa: Self.utente)
    }

    /// `fondi utente aggiungi`.
    public func aggiungiUtente(nome: Codice, ruolo: Ruolo, password: String, da: String) throws -> Utente {
        try Self.controllaPassword(password)
        let hash = Bcrypt.hash(password, cost: Self.costoBcrypt)
        return try inScrittura {
            guard try utente(nome.testo) == nil else { throw Rifiuto(regola: "8", "utente '\(nome)' già esistente") }
            let creato = orologio()
            try connessione.istruzione("INSERT INTO utente (nome, ruolo, password_bcrypt, attivo, creato_il) VALUES (?, ?, ?, 1, ?)")
                .esegui([.testo(nome.testo), .testo(ruolo.rawValue), .testo(hash), .testo(creato)])
            try annota(nome.testo, "aggiunto", "ruolo \(ruolo.rawValue)", da: da)
            return Utente(nome: nome.testo, ruolo: ruolo, attivo: true, creatoIl: creato)
        }
    }

    func esistente(_ nome: String) throws -> Utente {
        guard let u = try utente(nome) else { throw Rifiuto(regola: "8", "utente '\(nome)' sconosciuto") }
        return u
    }

    /// `fondi utente disattiva`: no more sign-ins; its sessions end and its tokens are revoked.
    public func disattivaUtente(nome: Codice, da: String) throws {
        try inScrittura {
            _ = try esistente(nome.testo)
            try connessione.istruzione("UPDATE utente SET attivo = 0 WHERE nome = ?").esegui([.testo(nome.testo)])
            try connessione.istruzione("DELETE FROM sessione WHERE utente = ?").esegui([.testo(nome.testo)])
            try connessione.istruzione("UPDATE token SET revocato_il = ? WHERE utente = ? AND revocato_il IS NULL").esegui([.testo(orologio()), .testo(nome.testo)])
            try annota(nome.testo, "disattivato", nil, da: da)
        }
    }

    /// `fondi utente password`: its sessions end.
    public func cambiaPassword(nome: Codice, password: String, da: String) throws {
        try Self.controllaPassword(password)
        let hash = Bcrypt.hash(password, cost: Self.costoBcrypt)
        try inScrittura {
            _ = try esistente(nome.testo)
            try connessione.istruzione("UPDATE utente SET password_bcrypt = ? WHERE nome = ?").esegui([.testo(hash), .testo(nome.testo)])
            try connessione.istruzione("DELETE FROM sessione WHERE utente = ?").esegui([.testo(nome.testo)])
            try annota(nome.testo, "password cambiata", nil, da: da)
        }
    }

    /// `fondi utente token`: a new API token, returned once; only its hash is stored.
    public func nuovoToken(nome: Codice, da: String) throws -> String {
        try inScrittura {
            let u = try esistente(nome.testo)
            guard u.attivo else { throw Rifiuto(regola: "8", "utente '\(nome)' disattivato: nessun token") }
            let t = Self.segreto()
            try connessione.istruzione("INSERT INTO token (hash, utente, creato_il) VALUES (?, ?, ?)")
                .esegui([.blob(Self.impronta(t)), .testo(nome.testo), .testo(orologio())])
            try annota(nome.testo, "token creato", nil, da: da)
            return t
        }
    }

    /// `fondi utente token --revoca`: revokes every token of the user; returns how many.
    public func revocaToken(nome: Codice, da: String) throws -> Int {
        try inScrittura {
            _ = try esistente(nome.testo)
            let n = try connessione.istruzione("UPDATE token SET revocato_il = ? WHERE utente = ? AND revocato_il IS NULL RETURNING 1")
                .righe([.testo(orologio()), .testo(nome.testo)]) { _ in 1 }.count
            try annota(nome.testo, "token revocati", "\(n)", da: da)
            return n
        }
    }

    /// The active user of an API token, if it is valid and not revoked.
    public func utenteDaToken(_ token: String) throws -> Utente? {
        let sql = """
            SELECT u.nome, u.ruolo, u.attivo, u.creato_il FROM token t JOIN utente u ON u.nome = t.utente
            WHERE t.hash = ? AND t.revocato_il IS NULL AND u.attivo = 1
            """
        return try connessione.istruzione(sql).righe([.blob(Self.impronta(token))], mappa: Self.utente).first
    }

    /// The outcome of a sign-in: one answer for a wrong name and a wrong password alike (DOMAIN §8).
    public enum EsitoAccesso: Sendable, Equatable {
        case entrato(sessione: String, csrf: String, utente: Utente)
        case rifiutato
        /// Too many failures for this name: retry after this many seconds.
        case bloccato(secondi: Int64)
    }

    /// Signs in: checks the lock of the name, verifies the password with bcrypt (also for an unknown name,
    /// against a fixed hash, so the time taken does not tell whether the name exists), records the failure
    /// or opens a session. The name is locked after `tentativiPrimaDelBlocco` failures, for 30 s doubling
    /// with each further failure up to 15 minutes; a success clears the count.
    public func accedi(nome: String, password: String, adesso: Int64 = Registro.secondiOra()) throws -> EsitoAccesso {
        let chiave = String(nome.prefix(64))
        let blocco = try connessione.istruzione("SELECT falliti, bloccato_fino FROM accesso_fallito WHERE nome = ?")
            .righe([.testo(chiave)]) { s in (s.intero(0), s.intero(1)) }.first
        if let b = blocco, b.1 > adesso { return .bloccato(secondi: b.1 - adesso) }
        let riga = try connessione.istruzione("SELECT password_bcrypt, attivo FROM utente WHERE nome = ?")
            .righe([.testo(chiave)]) { s in (s.testo(0), s.intero(1) == 1) }.first
        let corretta = Bcrypt.verify(password, hash: riga?.0 ?? Self.hashFittizio) && riga != nil && riga!.1
        return try inScrittura { () throws -> EsitoAccesso in
            guard corretta, let u = try utente(chiave) else {
                let falliti = (blocco?.0 ?? 0) + 1
                let attesa = falliti >= Self.tentativiPrimaDelBlocco ? min(Self.bloccoMassimoSecondi, 30 << min(20, falliti - Self.tentativiPrimaDelBlocco)) : 0
                try connessione.istruzione("""
                    INSERT INTO accesso_fallito (nome, falliti, bloccato_fino) VALUES (?, ?, ?)
                    ON CONFLICT (nome) DO UPDATE SET falliti = excluded.falliti, bloccato_fino = excluded.bloccato_fino
                    """).esegui([.testo(chiave), .intero(falliti), .intero(adesso + attesa)])
                return .rifiutato
            }
            try connessione.istruzione("DELETE FROM accesso_fallito WHERE nome = ?").esegui([.testo(chiave)])
            let id = Self.segreto(), csrf = Self.segreto()
            try connessione.istruzione("INSERT INTO sessione (hash, utente, csrf, creata_il, ultimo_uso) VALUES (?, ?, ?, ?, ?)")
                .esegui([.blob(Self.impronta(id)), .testo(u.nome), .testo(csrf), .testo(orologio()), .intero(adesso)])
            try connessione.istruzione("DELETE FROM sessione WHERE ultimo_uso < ?").esegui([.intero(adesso - Self.sessioneInattivaSecondi)])
            return .entrato(sessione: id, csrf: csrf, utente: u)
        }
    }

    /// bcrypt of a random password nobody knows: what an unknown name is checked against.
    static let hashFittizio = Bcrypt.hash(segreto(), cost: costoBcrypt)

    /// The live session with this id, touched now; nil when unknown, expired or of a deactivated user.
    public func sessione(_ id: String, adesso: Int64 = Registro.secondiOra()) throws -> Sessione? {
        let sql = """
            SELECT u.nome, u.ruolo, u.attivo, u.creato_il, s.csrf, s.ultimo_uso FROM sessione s JOIN utente u ON u.nome = s.utente
            WHERE s.hash = ? AND u.attivo = 1
            """
        let h = Self.impronta(id)
        guard let (u, csrf, ultimo) = try connessione.istruzione(sql).righe([.blob(h)], mappa: { s in (Self.utente(s), s.testo(4), s.intero(5)) }).first,
              adesso - ultimo <= Self.sessioneInattivaSecondi else { return nil }
        if adesso - ultimo >= 60 {
            // Touched at most once a minute: a page view is not a write transaction.
            try inScrittura { try connessione.istruzione("UPDATE sessione SET ultimo_uso = ? WHERE hash = ?").esegui([.intero(adesso), .blob(h)]) }
        }
        return Sessione(utente: u, csrf: csrf)
    }

    /// Ends a session (sign-out).
    public func esci(_ id: String) throws {
        try inScrittura { try connessione.istruzione("DELETE FROM sessione WHERE hash = ?").esegui([.blob(Self.impronta(id))]) }
    }
}
