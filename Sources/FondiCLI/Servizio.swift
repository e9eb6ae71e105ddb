import Dispatch
import Fondi
import FondiPostgres
import FondiServizi
import FondiStore
import FondiWeb
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `fondi serve [--db PATH] [--indirizzo 127.0.0.1] [--porta 8080] [--https-dietro-proxy] [--tempo-massimo 30] [--regione]` (DOMAIN §8; ADR 0021).
enum Servizio {
    static func esegui(_ v: Valori) throws {
        // The route table (for the hostile-input suite and for whoever puts a proxy in front): no ledger needed.
        if v.flag("rotte") { return Uscita.stampa(Rotta.descrizione.testoCanonico) }
        let percorso = Comandi.percorso(v)
        // The ledger must exist and be a Fondi ledger; an older one is migrated now, before serving.
        let registro = try Registri.apri(percorso, modo: .scrittura)
        // A ledger whose last event does not hold is not served (exit 3): what it would show cannot be trusted.
        do { try registro.verificaTesta() } catch let e as ErroreIntegrita {
            throw VerificaFallita(messaggio: "il registro '\(registro.percorso)' non supera la verifica della testa della catena (\(e.description)): "
                                  + "non lo servo; esegui 'fondi verifica' per sapere di più")
        }
        let indirizzo = v.testoGrezzo("indirizzo") ?? "127.0.0.1"
        let porta: Int
        if let testo = v.testoGrezzo("porta") {
            guard testo.utf8.count <= 5, testo.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let p = Int(testo), p <= 65535 else {
                throw ErroreValore("--porta '\(Testo.visibile(testo))' non valida: atteso un numero da 0 a 65535")
            }
            porta = p
        } else {
            porta = 8080
        }
        var tempoMassimo = Archivio.tempoMassimoPredefinito
        if let testo = v.testoGrezzo("tempo-massimo") {
            guard testo.utf8.count <= 4, testo.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let s = Int(testo), s >= 1 else {
                throw ErroreValore("--tempo-massimo '\(Testo.visibile(testo))' non valido: atteso un numero intero di secondi da 1 a 9999")
            }
            tempoMassimo = Double(s)
        }
        let regione = v.flag("regione")
        if regione, !IndirizzoPostgres.riconosce(percorso) {
            throw ErroreValore("--regione richiede un registro PostgreSQL (--db postgres://…?ambito=…): un file SQLite è di un solo ambito")
        }
        let configurazione = ConfigurazioneWeb(dietroProxy: v.flag("https-dietro-proxy"))
        let finito = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errore: (any Error)?
        Task {
            do {
                try await Web.servi(archivio: Archivio(percorso: percorso, motori: .sqliteEPostgres, tempoMassimo: tempoMassimo, regione: regione), indirizzo: indirizzo, porta: porta, configurazione: configurazione) { host, porta in
                    Uscita.stampa("in ascolto su http://\(host):\(porta)")
                }
            } catch {
                errore = error
            }
            finito.signal()
        }
        finito.wait()
        if let errore { throw ErroreValore("il server si è fermato: \(errore)") }
    }
}
