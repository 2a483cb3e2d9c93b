; Captioner's Windows installer (NSIS 3): per user, no administrator prompt.
;
; Compiled by packaging/build.py, which passes the defines below; by hand:
;   makensis -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DVARIANT=cpu -DPRODUCT=Captioner
;            -DCOMPANY="Captioner Project" -DSOURCE=dist\Captioner -DICON=resources\captioner.ico
;            -DOUTFILE=dist\Captioner-Setup-0.1.0.exe -DSIZE_KIB=300000 -DTARGET=x86-unicode
;            -DEXE=.exe packaging\installer.nsi
; and, to sign (build.py passes it when a certificate is configured: docs/signing.md),
;            -DSIGN_COMMAND="<a command that signs the file %1 in place>"
;
; Installs into %LOCALAPPDATA%\Programs\Captioner, adds a Start Menu entry and, if ticked, a
; desktop shortcut and "start with Windows"; launches the app at the end. The app keeps its
; settings, transcripts and downloaded models outside the program folder
; (%LOCALAPPDATA%\Captioner, Documents\Captioner), so an upgrade never touches them; the
; uninstaller asks whether to delete them (default: keep).
;
; Command line (silent use):  /S  /D=FOLDER (last, unquoted)  /AUTOSTART  /NODESKTOP
; Uninstaller:                /S  /PURGE (also delete settings, transcripts and models)
; An upgrade starts from what the installed version has (desktop shortcut, start with
; Windows); the options above override it. Exit codes: 0 done; 2 refused (Captioner is
; running, or Windows is not 64-bit Windows 10 1809 or later).

!ifndef VERSION | SOURCE | OUTFILE | ICON | TARGET
  !error "Run packaging/build.py, or pass the defines listed at the top of this file."
!endif
!ifndef EXE
  !define EXE ".exe"
!endif

Target ${TARGET}
Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS  ; tests: the script's logic, without minutes of LZMA
  SetCompress off
!else if "${VARIANT}" == "gpu"
  ; cuBLAS, cuDNN and NVRTC add 1.9 GiB: each file compressed alone, the installer stays
  ; far below NSIS's 2 GiB (packaging/README.md) and installs without first unpacking the
  ; whole solid block into a temporary copy.
  SetCompressor lzma
  SetCompressorDictSize 64
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 64
!endif
RequestExecutionLevel user  ; per-user: no administrator prompt

!define APP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SETTINGS_KEY "Software\${PRODUCT}"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"

; Signed in the script itself, so that no build can miss one: the uninstaller as it is
; written into the installer (NSIS 3.08+), then the installer. "= 0": a failed signing
; fails the build (without it makensis would ignore the command's exit code).
!ifdef SIGN_COMMAND
  !if ${NSIS_PACKEDVERSION} < 0x03008000
    !error "Signing the uninstaller needs NSIS 3.08 or later (!uninstfinalize): update NSIS."
  !endif
  !uninstfinalize '${SIGN_COMMAND}' = 0
  !finalize '${SIGN_COMMAND}' = 0
!endif
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "CompanyName" "${COMPANY}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} Setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT}${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; English first: the fallback where Windows' language is neither. Chinese Windows gets
; Simplified Chinese by itself (NSIS picks the user's UI language).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString SecApp ${LANG_ENGLISH} "Captioner (required)"
LangString SecApp ${LANG_SIMPCHINESE} "Captioner（必需）"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecAutostart ${LANG_ENGLISH} "Start with Windows"
LangString SecAutostart ${LANG_SIMPCHINESE} "开机时启动"
LangString RunNow ${LANG_ENGLISH} "Start Captioner now"
LangString RunNow ${LANG_SIMPCHINESE} "立即启动 Captioner"
LangString StillRunning ${LANG_ENGLISH} "Captioner is running. Quit it (tray icon → Quit), then click Retry."
LangString StillRunning ${LANG_SIMPCHINESE} "Captioner 正在运行。请先退出（托盘图标 → 退出），然后点击“重试”。"
LangString NeedsWindows10 ${LANG_ENGLISH} "Captioner needs 64-bit Windows 10, version 1809 or later, or Windows 11."
LangString NeedsWindows10 ${LANG_SIMPCHINESE} "Captioner 需要 64 位 Windows 10（1809 或更高版本）或 Windows 11。"
LangString KeepData ${LANG_ENGLISH} "Also delete your Captioner settings, transcripts (Documents\Captioner) and downloaded models?$\n$\nChoose No to keep them (for example, to install Captioner again later)."
LangString KeepData ${LANG_SIMPCHINESE} "同时删除 Captioner 的设置、字幕记录（文档\Captioner）和已下载的模型吗？$\n$\n选择“否”将保留它们（例如以后重新安装 Captioner 时使用）。"
LangString DescApp ${LANG_ENGLISH} "The app, the command line (captioner-cli) and the built-in Whisper base model."
LangString DescApp ${LANG_SIMPCHINESE} "应用程序、命令行工具（captioner-cli）和内置的 Whisper base 模型。"
LangString DescDesktop ${LANG_ENGLISH} "A Captioner icon on the desktop."
LangString DescDesktop ${LANG_SIMPCHINESE} "在桌面上放置 Captioner 图标。"
LangString DescAutostart ${LANG_ENGLISH} "Start Captioner (in the tray) when you sign in to Windows."
LangString DescAutostart ${LANG_SIMPCHINESE} "登录 Windows 时自动启动 Captioner（在托盘中）。"

Var Purge  ; uninstaller: delete the user's data too

; Windows lets nobody open a running program's file for writing (renaming it would succeed,
; so that is no test). Retry jumps to the caller's label; Cancel, and silent mode, abort
; with exit code 2. Used by the installer's section and by un.onInit.
!macro CheckNotRunning PROGRAM RETRY
  ${If} ${FileExists} "${PROGRAM}"
    ClearErrors
    FileOpen $0 "${PROGRAM}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY ${RETRY}
      SetErrorLevel 2
      Abort
    ${EndIf}
    FileClose $0
  ${EndIf}
!macroend

Section "!$(SecApp)" SEC_APP
  SectionIn RO
  SetShellVarContext current
  ; An upgrade replaces the program only while it is not running.
  retry:
  !insertmacro CheckNotRunning "$INSTDIR\${PRODUCT}${EXE}" retry
  !insertmacro CheckNotRunning "$INSTDIR\captioner-cli${EXE}" retry
  ; The previous version's program files go: a stale library from an older version must not
  ; shadow the new one. The user's data is not in this folder.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\captioner-cli${EXE}"

  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${PRODUCT}${EXE}" "" "$INSTDIR\${PRODUCT}${EXE}" 0

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${SETTINGS_KEY}" "Variant" "${VARIANT}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APP_KEY}" "Publisher" "${COMPANY}"
  WriteRegStr HKCU "${APP_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT}${EXE}"
  WriteRegStr HKCU "${APP_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${APP_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${APP_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APP_KEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${APP_KEY}" "EstimatedSize" ${SIZE_KIB}
SectionEnd

Section "$(SecDesktop)" SEC_DESKTOP
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${PRODUCT}${EXE}" "" "$INSTDIR\${PRODUCT}${EXE}" 0
SectionEnd

Section /o "$(SecAutostart)" SEC_AUTOSTART
  WriteRegStr HKCU "${RUN_KEY}" "${PRODUCT}" '"$INSTDIR\${PRODUCT}${EXE}"'
SectionEnd

; Unticked on a later run of the installer: what was set before is undone.
Section "-cleanup of unticked options"
  SetShellVarContext current
  ${IfNot} ${SectionIsSelected} ${SEC_DESKTOP}
    Delete "$DESKTOP\${PRODUCT}.lnk"
  ${EndIf}
  ${IfNot} ${SectionIsSelected} ${SEC_AUTOSTART}
    DeleteRegValue HKCU "${RUN_KEY}" "${PRODUCT}"
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_APP} "$(DescApp)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_DESKTOP} "$(DescDesktop)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_AUTOSTART} "$(DescAutostart)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ; A 32-bit installer (the official NSIS has x86 stubs only) of a 64-bit app that needs
  ; Windows 10 1809 (build 17763) or later: say so here rather than install what cannot start.
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWindows10)" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}

  ; An upgrade keeps the user's choices: tick what the installed version has. A fresh
  ; install keeps the defaults (desktop shortcut yes, start with Windows no).
  ReadRegStr $R0 HKCU "${SETTINGS_KEY}" "InstallDir"
  ${If} $R0 != ""
    ${If} ${FileExists} "$DESKTOP\${PRODUCT}.lnk"
      !insertmacro SelectSection ${SEC_DESKTOP}
    ${Else}
      !insertmacro UnselectSection ${SEC_DESKTOP}
    ${EndIf}
    ClearErrors
    ReadRegStr $R0 HKCU "${RUN_KEY}" "${PRODUCT}"
    ${If} ${Errors}
      !insertmacro UnselectSection ${SEC_AUTOSTART}
    ${Else}
      !insertmacro SelectSection ${SEC_AUTOSTART}
    ${EndIf}
  ${EndIf}

  ; The command line has the last word.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SEC_AUTOSTART}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SEC_DESKTOP}
  ${EndIf}
FunctionEnd

Function un.onInit
  StrCpy $Purge 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE" $R1
  ${IfNot} ${Errors}
    StrCpy $Purge 1
  ${EndIf}
  ; Before anything is deleted: a running Captioner (autostart) keeps its files, so
  ; uninstalling now would remove the rest and the uninstall entry and leave those behind.
  retry:
  !insertmacro CheckNotRunning "$INSTDIR\${PRODUCT}${EXE}" retry
  !insertmacro CheckNotRunning "$INSTDIR\captioner-cli${EXE}" retry
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put here: the folder may be one the user chose and shares.
  Delete "$INSTDIR\${PRODUCT}${EXE}"
  Delete "$INSTDIR\captioner-cli${EXE}"
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\addons"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${PRODUCT}"
  DeleteRegKey HKCU "${APP_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"

  ; Keep the user's data unless asked (the default answer is No: keep).
  ${If} $Purge == 0
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(KeepData)" /SD IDNO IDNO keep
  ${EndIf}
  ; platformdirs' folders on Windows: settings and logs in %LOCALAPPDATA%\Captioner,
  ; models in its Cache; transcripts in Documents\Captioner unless moved in Settings.
  RMDir /r "$LOCALAPPDATA\${PRODUCT}"
  RMDir /r "$DOCUMENTS\${PRODUCT}"
  keep:
SectionEnd

Function un.onUninstSuccess
FunctionEnd
