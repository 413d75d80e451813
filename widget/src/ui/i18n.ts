/**
 * leadcap-i18n.js: the built-in strings in German, French and Spanish, loaded only for a form whose
 * language (its `display.language`, else the page's `<html lang>`) is not English. Add a language
 * here and it is served to every form in it.
 */
import type { Strings } from "../host.ts";

export const de: Strings = {
  required: "Bitte füllen Sie dieses Feld aus.",
  tick: "Bitte setzen Sie das Häkchen, um fortzufahren.",
  email: "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
  url: "Bitte geben Sie eine vollständige Webadresse ein, beginnend mit https://.",
  tel: "Bitte geben Sie eine Telefonnummer ein, z. B. +49 30 1234567.",
  number: "Bitte geben Sie eine Zahl ein.",
  tooShort: "Bitte verwenden Sie mindestens {n} Zeichen.",
  tooLong: "Bitte verwenden Sie höchstens {n} Zeichen.",
  min: "Bitte geben Sie {n} oder mehr ein.",
  max: "Bitte geben Sie {n} oder weniger ein.",
  increment: "Bitte verwenden Sie ein Vielfaches von {n}.",
  pattern: "Bitte verwenden Sie das verlangte Format.",
  option: "Bitte wählen Sie eine Option.",
  sending: "Wird gesendet…",
  held: "Ihre Angaben sind auf diesem Gerät gespeichert und werden automatisch gesendet, sobald diese Website sie annehmen kann.",
  refused:
    "Leider kann dieses Formular Ihre Angaben gerade nicht annehmen. Bitte versuchen Sie es später erneut oder kontaktieren Sie uns auf anderem Weg.",
  retry: "Wir konnten Ihre Angaben nicht senden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
  queued: "Ihre Angaben sind auf diesem Gerät gespeichert und werden gesendet, sobald die Verbindung steht.",
  close: "Schließen",
  next: "Weiter",
  back: "Zurück",
  progress: "Schritt {n} von {total}",
};

export const fr: Strings = {
  required: "Veuillez remplir ce champ.",
  tick: "Veuillez cocher cette case pour continuer.",
  email: "Veuillez saisir une adresse e-mail valide, par exemple nom@exemple.fr.",
  url: "Veuillez saisir une adresse web complète, commençant par https://.",
  tel: "Veuillez saisir un numéro de téléphone, par exemple +33 1 23 45 67 89.",
  number: "Veuillez saisir un nombre.",
  tooShort: "Veuillez utiliser au moins {n} caractères.",
  tooLong: "Veuillez utiliser au plus {n} caractères.",
  min: "Veuillez saisir {n} ou plus.",
  max: "Veuillez saisir {n} ou moins.",
  increment: "Veuillez utiliser un multiple de {n}.",
  pattern: "Veuillez respecter le format demandé.",
  option: "Veuillez choisir une option.",
  sending: "Envoi…",
  held: "Vos informations sont enregistrées sur cet appareil et seront envoyées automatiquement dès que ce site pourra les recevoir.",
  refused:
    "Désolé, ce formulaire ne peut pas recevoir vos informations pour le moment. Réessayez plus tard ou contactez-nous autrement.",
  retry: "Nous n’avons pas pu envoyer vos informations. Vérifiez votre connexion et réessayez.",
  queued:
    "Vos informations sont enregistrées sur cet appareil et seront envoyées dès le retour de la connexion.",
  close: "Fermer",
  next: "Suivant",
  back: "Retour",
  progress: "Étape {n} sur {total}",
};

export const es: Strings = {
  required: "Rellena este campo.",
  tick: "Marca esta casilla para continuar.",
  email: "Introduce un correo electrónico válido, como nombre@ejemplo.es.",
  url: "Introduce una dirección web completa, que empiece por https://.",
  tel: "Introduce un número de teléfono, como +34 912 345 678.",
  number: "Introduce un número.",
  tooShort: "Usa al menos {n} caracteres.",
  tooLong: "Usa como máximo {n} caracteres.",
  min: "Introduce {n} o más.",
  max: "Introduce {n} o menos.",
  increment: "Usa un múltiplo de {n}.",
  pattern: "Usa el formato indicado.",
  option: "Elige una opción.",
  sending: "Enviando…",
  held: "Tus datos están guardados en este dispositivo y se enviarán automáticamente en cuanto este sitio pueda recibirlos.",
  refused:
    "Lo sentimos, este formulario no puede recibir tus datos ahora. Inténtalo más tarde o contáctanos por otra vía.",
  retry: "No hemos podido enviar tus datos. Comprueba tu conexión e inténtalo de nuevo.",
  queued: "Tus datos están guardados en este dispositivo y se enviarán en cuanto vuelva la conexión.",
  close: "Cerrar",
  next: "Siguiente",
  back: "Atrás",
  progress: "Paso {n} de {total}",
};
