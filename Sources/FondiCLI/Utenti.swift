import Fondi
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `fondi utente …` (DOMAIN §8): the users of `fondi serve`, on the ledger file, outside the event chain.
enum Utenti {
    static func esegui(_ inv: Invocazione) throws {
        let v = inv.valori
        let formato = try Comandi.formato(v)
        let registro = try Comandi.apri(v, .scrittura)
        let da = try Comandi.contesto(v).utente.testo
        switch inv.definizione.nome {
        case "utente aggiungi":
            let nome = try v.codice("nome")
            let ruolo = Ruolo(rawValue: try v.scelta("ruolo", tra: Ruolo.allCases.map(\.rawValue), predefinita: ""))!
            let u = try registro.aggiungiUtente(nome: nome, ruolo: ruolo, password: try password(), da: da)
            stampa(u, formato: formato, azione: "aggiunto")
        case "utente elenca":
            let tutti = try registro.utenti()
            var t = Tabella(nome: "utenti", colonne: ["nome", "ruolo", "attivo", "creato_il"])
            for u in tutti { t.righe.append([.testo(u.nome), .testo(u.ruolo.rawValue), .booleano(u.attivo), .testo(u.creatoIl)]) }
            Uscita.stampa(Uscita.tabelle([t], formato: formato))
        case "utente disattiva":
            let nome = try v.codice("nome")
            try registro.disattivaUtente(nome: nome, da: da)
            if let u = try registro.utente(nome.testo) { stampa(u, formato: formato, azione: "disattivato: sessioni chiuse e token revocati") }
        case "utente password":
            let nome = try v.codice("nome")
            try registro.cambiaPassword(nome: nome, password: try password(), da: da)
            if let u = try registro.utente(nome.testo) { stampa(u, formato: formato, azione: "password cambiata, sessioni chiuse") }
        default:
            let nome = try v.codice("nome")
            if v.flag("revoca") {
                let n = try registro.revocaToken(nome: nome, da: da)
                Uscita.stampa(formato == .json ? ValoreJSON.oggetto(["nome": .stringa(nome.testo), "revocati": .intero(Int64(n))]).testoCanonico
                    : "revocati \(Uscita.numero(n, "token", "token")) dell'utente \(nome)")
            } else {
                // The token alone on one line of stdout: shown once, only its hash is kept.
                Uscita.stampa(try registro.nuovoToken(nome: nome, da: da))
            }
        }
    }

    static func stampa(_ u: Utente, formato: Formato, azione: String) {
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["nome": .stringa(u.nome), "ruolo": .stringa(u.ruolo.rawValue), "attivo": .booleano(u.attivo)]).testoCanonico)
        case .csv:
            Uscita.stampa("nome,ruolo,attivo\n\(u.nome),\(u.ruolo.rawValue),\(u.attivo)")
        case .tabella:
            Uscita.stampa("utente \(u.nome) (\(u.ruolo.rawValue)) \(azione)")
        }
    }

    /// The first line of standard input (DOMAIN §8), without its line end.
    static func password() throws -> String {
        guard let riga = readLine(strippingNewline: true) else {
            throw ErroreValore("password mancante: scrivila sulla prima riga dello standard input (es. echo 'una frase lunga' | fondi utente …)")
        }
        return riga.hasSuffix("\r") ? String(riga.dropLast()) : riga
    }
}
