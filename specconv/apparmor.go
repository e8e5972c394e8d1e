package specconv

import (
	"errors"
	"os"
	"strings"
)

// appArmorEnabledPath is a variable so tests can point it elsewhere.
var appArmorEnabledPath = "/sys/module/apparmor/parameters/enabled"

// checkAppArmor rejects a profile rather than starting the container
// unconfined: dropping a requested confinement silently would be a security bug.
func checkAppArmor(profile string) error {
	if profile == "" {
		return nil
	}
	if !appArmorEnabled() {
		return errors.New("process.apparmorProfile: AppArmor is not enabled on this host")
	}
	return errors.New("process.apparmorProfile: not supported yet")
}

func appArmorEnabled() bool {
	data, err := os.ReadFile(appArmorEnabledPath)
	return err == nil && strings.TrimSpace(string(data)) == "Y"
}
